package dev.meshgate.bench.contender;

import java.nio.file.Path;
import java.util.List;

/**
 * nginx reverse proxy, one worker, keep-alive upstream (see {@link NginxConfig}); as a pair, two of
 * them in series, the like-for-like reference for a mesh-node hop.
 */
public final class NginxContender extends NativeProxyContender {

    private NginxContender(String executable, boolean pair) {
        super(executable, "nginx", "nginx (master + worker)", "nginx.conf", pair);
    }

    public static NginxContender single(String executable) {
        return new NginxContender(executable, false);
    }

    /** Two nginx in series (client → nginx A → nginx B → app): a sidecar pair's topology. */
    public static NginxContender pair(String executable) {
        return new NginxContender(executable, true);
    }

    @Override
    public String id() {
        return pair() ? "nginx-pair" : "nginx";
    }

    @Override
    public String title() {
        return pair() ? "nginx pair (nginx → nginx → app, a mesh hop's topology; each 1 worker, keep-alive upstream)"
                : "nginx reverse proxy (1 worker, keep-alive upstream)";
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
