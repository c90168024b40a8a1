package dev.meshgate.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Every process the benchmark started, stopped in reverse start order on {@link #close()} or, when
 * the run is interrupted (Ctrl-C, a crash), by a shutdown hook: a run never leaves a proxy behind.
 */
public final class StartedProcesses implements AutoCloseable {

    private final List<BenchProcess> processes = new ArrayList<>();
    private final List<BenchProcess> shared = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "bench-stop-processes");

    public StartedProcesses() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public synchronized BenchProcess add(BenchProcess process) {
        processes.add(process);
        return process;
    }

    /** A process that serves every contender (the upstream, the registry): kept until the run ends. */
    public synchronized BenchProcess addShared(BenchProcess process) {
        shared.add(process);
        return add(process);
    }

    /** Stops whatever a contender left running (it failed half-way), keeping the shared processes. */
    public void stopAllExceptShared() {
        List<BenchProcess> toStop;
        synchronized (this) {
            toStop = processes.stream().filter(process -> !shared.contains(process)).toList();
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            stop(toStop.get(i));
        }
    }

    /** Stops one process now (a contender whose turn is over). */
    public void stop(BenchProcess process) {
        process.close();
        synchronized (this) {
            processes.remove(process);
        }
    }

    private void stopAll() {
        List<BenchProcess> toStop;
        synchronized (this) {
            toStop = new ArrayList<>(processes);
            processes.clear();
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            toStop.get(i).close();
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs stopAll, which finds nothing left
        }
    }
}
