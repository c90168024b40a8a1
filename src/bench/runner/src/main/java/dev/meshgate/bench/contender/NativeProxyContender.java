package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.BenchProcess;
import dev.meshgate.bench.RawHttp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A proxy that is one native program started on a generated config file (nginx, HAProxy): the
 * config is written to {@code <run>/<id>/<configFileName>}, the program runs in the foreground as one
 * measured process, and it is ready when a request passes through it to the upstream.
 *
 * <p>As a pair, two of them run in series (client → A → B → upstream), the topology of a mesh hop
 * with the native proxy in both sidecar places; each has its own directory, {@code <run>/<id>/a} and
 * {@code <run>/<id>/b}.
 */
abstract class NativeProxyContender implements Contender {

    private final String executable;
    private final String displayName;
    private final String processLabel;
    private final String configFileName;
    private final boolean pair;

    NativeProxyContender(String executable, String displayName, String processLabel, String configFileName, boolean pair) {
        this.executable = executable;
        this.displayName = displayName;
        this.processLabel = processLabel;
        this.configFileName = configFileName;
        this.pair = pair;
    }

    @Override
    public final boolean jvm() {
        return false;
    }

    final boolean pair() {
        return pair;
    }

    @Override
    public final Deployment deploy(BenchContext context) {
        List<Proxy> chain = pair
                ? List.of(new Proxy(id() + "-a", Path.of(id(), "a"), displayName + " A (caller side)"),
                        new Proxy(id() + "-b", Path.of(id(), "b"), displayName + " B (app side)"))
                : List.of(new Proxy(id(), Path.of(id()), processLabel));
        List<Integer> ports = context.freePorts(chain.size());
        List<MeasuredProcess> measured = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Duration sinceFirstSpawn = Duration.ZERO;
        // from the app side out: each proxy forwards to the one started before it, the last to the upstream
        int next = context.upstreamPort();
        for (int i = chain.size() - 1; i >= 0; i--) {
            Proxy proxy = chain.get(i);
            int port = ports.get(i);
            Path directory = context.runDir().resolve(proxy.directory());
            Path config = context.writeRunFile(proxy.directory().resolve(configFileName), config(directory, port, next));
            BenchProcess process = context.start(proxy.name(), command(executable, directory, config));
            Duration ready = process.awaitReady("a request through " + proxy.label(),
                    () -> RawHttp.get(port, "127.0.0.1", "/bytes?size=1", 1000), context.startTimeout());
            measured.add(0, new MeasuredProcess(proxy.label(), process, false, ready));
            notes.add(0, "config: " + config);
            // each proxy is started once the one behind it answers, so the path's readiness adds up
            sinceFirstSpawn = sinceFirstSpawn.plus(ready);
            next = port;
        }
        return new Deployment(ports.get(0), "127.0.0.1", "", measured, sinceFirstSpawn, notes);
    }

    /** The config text: listen on loopback {@code listenPort}, forward to {@code upstreamPort}. */
    abstract String config(Path directory, int listenPort, int upstreamPort);

    /** The command line that runs the program in the foreground on {@code config}. */
    abstract List<String> command(String executable, Path directory, Path config);

    /** One proxy of the chain: its process name, its directory under the run's, its label in the report. */
    private record Proxy(String name, Path directory, String label) {
    }
}
