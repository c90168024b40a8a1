package dev.meshgate.bench.proc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU and memory of one measured process and its descendants (nginx's and HAProxy's workers are
 * children of the process we start; a JVM is one process). Descendants are looked up at every read,
 * so a worker that appears late is counted.
 */
public final class ProcessGroupMeter {

    private final ProcFiles proc;
    private final ProcessHandle root;

    public ProcessGroupMeter(ProcFiles proc, ProcessHandle root) {
        this.proc = proc;
        this.root = root;
    }

    public long pid() {
        return root.pid();
    }

    /** CPU time used so far by the process and its live descendants, in microseconds. */
    public long cpuMicros() {
        long total = 0;
        for (long pid : pids()) {
            try {
                total += proc.cpuMicros(pid);
            } catch (IOException | IllegalArgumentException e) {
                // the process exited between listing and reading: its time is no longer attributable
            }
        }
        return total;
    }

    /** Resident memory summed over the process and its descendants; zero when none is readable. */
    public ProcFiles.Memory memory() {
        ProcFiles.Memory total = new ProcFiles.Memory(0, 0);
        for (long pid : pids()) {
            try {
                total = total.plus(proc.memory(pid));
            } catch (IOException | IllegalArgumentException e) {
                // exited meanwhile: nothing resident to count
            }
        }
        return total;
    }

    private List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(root.pid());
        root.descendants().forEach(child -> pids.add(child.pid()));
        return pids;
    }
}
