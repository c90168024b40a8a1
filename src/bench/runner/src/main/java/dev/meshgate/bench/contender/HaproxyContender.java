package dev.meshgate.bench.contender;

import java.nio.file.Path;
import java.util.List;

/** HAProxy, one thread, {@code http-reuse always} (see {@link HaproxyConfig}). */
public final class HaproxyContender extends NativeProxyContender {

    public HaproxyContender(String executable) {
        super(executable, "HAProxy", "haproxy", "haproxy.cfg", false);
    }

    @Override
    public String id() {
        return "haproxy";
    }

    @Override
    public String title() {
        return "HAProxy (1 thread, http-reuse always)";
    }

    @Override
    String config(Path directory, int listenPort, int upstreamPort) {
        return new HaproxyConfig(listenPort, upstreamPort).render();
    }

    @Override
    List<String> command(String executable, Path directory, Path config) {
        // -db: stay in the foreground, so the started process is the one measured and stopped
        return List.of(executable, "-db", "-f", config.toString());
    }
}
