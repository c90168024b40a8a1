package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.BenchProcess;
import dev.meshgate.bench.RawHttp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A proxy that is one native program started on a generated config file (nginx, HAProxy): the
 * config is written to {@code <run>/<id>/<configFileName>}, the program runs in the foreground as one
 * measured process, and it is ready when a request passes through it to the upstream.
 */
abstract class NativeProxyContender implements Contender {

    private final String executable;
    private final String displayName;
    private final String processLabel;
    private final String configFileName;

    NativeProxyContender(String executable, String displayName, String processLabel, String configFileName) {
        this.executable = executable;
        this.displayName = displayName;
        this.processLabel = processLabel;
        this.configFileName = configFileName;
    }

    @Override
    public final boolean jvm() {
        return false;
    }

    @Override
    public final Deployment deploy(BenchContext context) {
        int port = context.freePorts(1).get(0);
        Path directory = context.runDir().resolve(id());
        Path config = context.writeRunFile(Path.of(id(), configFileName), config(directory, port, context.upstreamPort()));
        BenchProcess proxy = context.start(id(), command(executable, directory, config));
        Duration ready = proxy.awaitReady("a request through " + displayName,
                () -> RawHttp.get(port, "127.0.0.1", "/bytes?size=1", 1000), context.startTimeout());
        return new Deployment(port, "127.0.0.1", "", List.of(new MeasuredProcess(processLabel, proxy, false, ready)),
                ready, List.of("config: " + config));
    }

    /** The config text: listen on loopback {@code listenPort}, forward to the upstream on {@code upstreamPort}. */
    abstract String config(Path directory, int listenPort, int upstreamPort);

    /** The command line that runs the program in the foreground on {@code config}. */
    abstract List<String> command(String executable, Path directory, Path config);
}
