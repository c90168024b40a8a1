package dev.meshgate.bench.contender;

import java.nio.file.Path;
import java.util.List;

/** nginx reverse proxy, one worker, keep-alive upstream (see {@link NginxConfig}). */
public final class NginxContender extends NativeProxyContender {

    public NginxContender(String executable) {
        super(executable, "nginx", "nginx (master + worker)", "nginx.conf");
    }

    @Override
    public String id() {
        return "nginx";
    }

    @Override
    public String title() {
        return "nginx reverse proxy (1 worker, keep-alive upstream)";
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
