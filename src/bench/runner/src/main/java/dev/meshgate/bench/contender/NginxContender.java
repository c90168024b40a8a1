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

/** nginx reverse proxy, one worker, keep-alive upstream (see {@link NginxConfig}). */
public final class NginxContender implements Contender {

    private final String executable;

    public NginxContender(String executable) {
        this.executable = executable;
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
    public boolean jvm() {
        return false;
    }

    @Override
    public Deployment deploy(BenchContext context) {
        int port = context.freePorts(1).get(0);
        Path prefix = context.runDir().resolve("nginx");
        Path conf = prefix.resolve("nginx.conf");
        try {
            Files.createDirectories(prefix);
            Files.writeString(conf, new NginxConfig(prefix, port, context.upstreamPort()).render());
        } catch (IOException e) {
            throw new BenchException("cannot write " + conf + ": " + e.getMessage(), e);
        }
        BenchProcess nginx = context.start("nginx", List.of(executable, "-e", prefix.resolve("error.log").toString(),
                "-p", prefix.toString(), "-c", conf.toString()));
        Duration ready = nginx.awaitReady("a request through nginx",
                () -> RawHttp.get(port, "127.0.0.1", "/bytes?size=1", 1000), context.startTimeout());
        return new Deployment(port, "127.0.0.1", "", List.of(new MeasuredProcess("nginx (master + worker)", nginx, false, ready)),
                ready, List.of("config: " + conf));
    }
}
