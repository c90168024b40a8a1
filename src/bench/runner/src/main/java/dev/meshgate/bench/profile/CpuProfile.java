package dev.meshgate.bench.profile;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one process spent its CPU in a profiled saturation window, read from async-profiler's collapsed
 * stacks: shares of all samples in the kernel, in the JIT compiler's threads, in garbage collection and
 * other VM operations, in the project's own methods (self time), and the system calls and user-space
 * frames that took the most. A share is a fraction (0.25 is 25%); {@code kernelShare} is NaN when the
 * profile holds no kernel frame at all (perf events unavailable: async-profiler then samples with a timer
 * and sees user space only).
 */
public record CpuProfile(String process, long samples, double kernelShare, double jitShare, double gcAndVmShare,
                         double projectCodeShare, List<FrameShare> systemCalls, List<FrameShare> hottestFrames,
                         String flameGraph) {

    /** A frame (or a system call, named by its user-space entry) and its share of the samples. */
    public record FrameShare(String frame, double share) {
    }

    static final int LISTED = 8;
    private static final String KERNEL_SUFFIX = "_[k]";
    private static final String SYSCALL_ENTRY = "entry_SYSCALL";
    private static final String OTHER_KERNEL_ENTRY = "interrupts, faults and scheduling";
    private static final String PROJECT_PACKAGE = "dev/meshgate/";

    /**
     * Reads collapsed stacks ({@code frame;frame;...;leaf count} per line, root first). Lines that are not
     * of that form are skipped; an empty profile has zero samples and NaN shares.
     */
    public static CpuProfile parse(String process, List<String> collapsedStacks, String flameGraph) {
        long total = 0;
        long kernel = 0;
        long jit = 0;
        long gcAndVm = 0;
        long project = 0;
        Map<String, Long> systemCalls = new HashMap<>();
        Map<String, Long> selfTime = new HashMap<>();
        for (String line : collapsedStacks) {
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            long count;
            try {
                count = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            String[] frames = line.substring(0, space).split(";");
            String leaf = frames[frames.length - 1];
            total += count;
            if (hasFrame(frames, "CompileBroker::")) {
                jit += count;
            } else if (hasFrame(frames, "VMThread::") || hasFrame(frames, "GCTaskThread")
                    || hasFrame(frames, "WorkerThread::") || hasFrame(frames, "ConcurrentGCThread")) {
                gcAndVm += count;
            }
            if (leaf.endsWith(KERNEL_SUFFIX)) {
                kernel += count;
                systemCalls.merge(kernelEntry(frames), count, Long::sum);
            } else {
                selfTime.merge(javaName(leaf), count, Long::sum);
                if (leaf.startsWith(PROJECT_PACKAGE)) {
                    project += count;
                }
            }
        }
        double samples = total;
        return new CpuProfile(process, total, kernel == 0 ? Double.NaN : kernel / samples, jit / samples,
                gcAndVm / samples, project / samples, top(systemCalls, samples), top(selfTime, samples), flameGraph);
    }

    /**
     * The system call a kernel sample ran under, named by the user-space function that entered the
     * kernel ({@code writev}, {@code recv}, {@code epoll_wait}); kernel work entered otherwise (an
     * interrupt, a page fault, a preemption) is pooled under one name.
     */
    private static String kernelEntry(String[] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].endsWith(KERNEL_SUFFIX)) {
                if (frames[i].startsWith(SYSCALL_ENTRY) && i > 0) {
                    return javaName(frames[i - 1]);
                }
                return OTHER_KERNEL_ENTRY;
            }
        }
        return OTHER_KERNEL_ENTRY;
    }

    private static boolean hasFrame(String[] frames, String fragment) {
        for (String frame : frames) {
            if (frame.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /** {@code io/netty/buffer/PoolArena.allocate} as {@code io.netty.buffer.PoolArena.allocate}; native names as they are. */
    private static String javaName(String frame) {
        return frame.indexOf('/') > 0 && !frame.startsWith("[") ? frame.replace('/', '.') : frame;
    }

    private static List<FrameShare> top(Map<String, Long> counts, double samples) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(LISTED)
                .map(entry -> new FrameShare(entry.getKey(), entry.getValue() / samples))
                .toList();
    }
}
