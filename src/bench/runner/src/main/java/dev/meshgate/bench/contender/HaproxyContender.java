package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.BenchException;
import dev.meshgate.bench.BenchProcess;
import dev.meshgate.bench.RawHttp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** HAProxy, one thread, {@code http-reuse always} (see {@link HaproxyConfig}). */
public final class HaproxyContender implements Contender {

    private final String executable;

    public HaproxyContender(String executable) {
        this.executable = executable;
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
    public boolean jvm() {
        return false;
    }

    @Override
    public Deployment deploy(BenchContext context) {
        int port = context.freePorts(1).get(0);
        Path cfg = context.runDir().resolve("haproxy").resolve("haproxy.cfg");
        try {
            Files.createDirectories(cfg.getParent());
            Files.writeString(cfg, new HaproxyConfig(port, context.upstreamPort()).render());
        } catch (IOException e) {
            throw new BenchException("cannot write " + cfg + ": " + e.getMessage(), e);
        }
        BenchProcess haproxy = context.start("haproxy", List.of(executable, "-db", "-f", cfg.toString()));
        Duration ready = haproxy.awaitReady("a request through HAProxy",
                () -> RawHttp.get(port, "127.0.0.1", "/bytes?size=1", 1000), context.startTimeout());
        return new Deployment(port, "127.0.0.1", "", List.of(new MeasuredProcess("haproxy", haproxy, false, ready)),
                ready, List.of("config: " + cfg));
    }
}
