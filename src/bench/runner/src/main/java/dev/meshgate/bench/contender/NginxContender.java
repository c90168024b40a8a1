package dev.meshgate.bench.contender;

import java.nio.file.Path;
import java.util.List;

/**
 * nginx reverse proxy, one worker, keep-alive upstream (see {@link NginxConfig}); as a pair, two of
 * them in series, the like-for-like reference for a mesh-node hop.
 */
public final class NginxContender extends NativeProxyContender {

    private final String id;
    private final String title;

    private NginxContender(String executable, boolean pair, String id, String title) {
        super(executable, "nginx", "nginx (master + worker)", "nginx.conf", pair);
        this.id = id;
        this.title = title;
    }

    public static NginxContender single(String executable) {
        return new NginxContender(executable, false, "nginx", "nginx reverse proxy (1 worker, keep-alive upstream)");
    }

    /** Two nginx in series (client → nginx A → nginx B → app): a sidecar pair's topology. */
    public static NginxContender pair(String executable) {
        return new NginxContender(executable, true, "nginx-pair",
                "nginx pair (nginx → nginx → app, a mesh hop's topology; each 1 worker, keep-alive upstream)");
    }

    /**
     * The same nginx as {@link #single}, started once and kept for the whole run: the reference every
     * contender's saturation windows are bracketed with.
     */
    public static NginxContender reference(String executable) {
        return new NginxContender(executable, false, "nginx-reference",
                "reference nginx (as the nginx contender), measured alongside every contender");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    String config(Path directory, int listenPort, int upstreamPort) {
        return new NginxConfig(directory, listenPort, upstreamPort).render();
    }

    @Override
    List<String> command(String executable, Path directory, Path config) {
        // -p and -e keep every file nginx writes (pid, logs, temp files) inside the run directory
        return List.of(executable, "-e", directory.resolve("error.log").toString(),
                "-p", directory.toString(), "-c", config.toString());
    }
}
