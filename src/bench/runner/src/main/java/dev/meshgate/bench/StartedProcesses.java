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

    /** Keeps an already started process until the run ends, as {@link #addShared} does. */
    public synchronized void keep(BenchProcess process) {
        if (processes.contains(process) && !shared.contains(process)) {
            shared.add(process);
        }
    }

    /** Stops whatever a contender left running (it failed half-way), keeping the shared processes. */
    public void stopAllExceptShared() {
        List<BenchProcess> toStop;
        synchronized (this) {
            toStop = processes.stream().filter(process -> !shared.contains(process)).toList();
        }
        stop(toStop);
    }

    /** Stops one process now. */
    public void stop(BenchProcess process) {
        stop(List.of(process));
    }

    /** Stops a contender's processes now, together (its turn is over). */
    public void stop(List<BenchProcess> toStop) {
        BenchProcess.closeAll(toStop);
        synchronized (this) {
            processes.removeAll(toStop);
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
