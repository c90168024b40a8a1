package dev.meshgate.samples;

import reactor.netty.DisposableServer;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/** The workloads of one samples process, listening; closing stops them all. */
public final class RunningSamples implements AutoCloseable {

    private final List<WorkloadSpec> specs;
    private final List<DisposableServer> servers;

    private RunningSamples(List<WorkloadSpec> specs, List<DisposableServer> servers) {
        this.specs = List.copyOf(specs);
        this.servers = List.copyOf(servers);
    }

    /** Starts every workload, or none: when one cannot listen, those already started are stopped. */
    public static RunningSamples start(List<WorkloadSpec> specs) {
        List<DisposableServer> started = new ArrayList<>();
        try {
            for (WorkloadSpec spec : specs) {
                started.add(new Workload(spec).start());
            }
        } catch (RuntimeException e) {
            started.forEach(DisposableServer::disposeNow);
            throw e;
        }
        return new RunningSamples(specs, started);
    }

    public List<WorkloadSpec> specs() {
        return specs;
    }

    /** The port an instance actually listens on (useful when it was configured as 0). */
    public int port(String instance) {
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).instance().equals(instance)) {
                return servers.get(i).port();
            }
        }
        throw new NoSuchElementException("no workload instance " + instance + " in " + specs);
    }

    public String baseUrl(String instance) {
        return "http://" + specs.stream().filter(spec -> spec.instance().equals(instance)).findFirst()
                .map(WorkloadSpec::host).orElseThrow() + ":" + port(instance);
    }

    @Override
    public void close() {
        for (DisposableServer server : servers) {
            server.disposeNow();
        }
    }
}
