package dev.meshgate.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's CPU time and memory from Linux's {@code /proc}: {@code stat} fields 14 and 15
 * (utime, stime, in clock ticks, threads that already exited included) and {@code status}'s VmRSS and
 * VmHWM (kB). Parsing is separate from reading so it can be checked on fixtures.
 */
public final class ProcFiles {

    private final Path procRoot;
    private final long clockTicksPerSecond;

    public ProcFiles(Path procRoot, long clockTicksPerSecond) {
        if (clockTicksPerSecond <= 0) {
            throw new IllegalArgumentException("clock ticks per second must be positive, was " + clockTicksPerSecond);
        }
        this.procRoot = procRoot;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /** The live system's /proc, with the kernel's tick rate from {@code getconf CLK_TCK}. */
    public static ProcFiles system() {
        return new ProcFiles(Path.of("/proc"), clockTicks());
    }

    public long clockTicksPerSecond() {
        return clockTicksPerSecond;
    }

    /** User plus system CPU time the process has used so far, in microseconds. */
    public long cpuMicros(long pid) throws IOException {
        String stat = Files.readString(procRoot.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
        return cpuTicks(stat) * 1_000_000L / clockTicksPerSecond;
    }

    /** The resident set now and its high-water mark, in kB. */
    public Memory memory(long pid) throws IOException {
        return memory(Files.readString(procRoot.resolve(Long.toString(pid)).resolve("status"), StandardCharsets.US_ASCII));
    }

    /** Resident memory in kB: now ({@code VmRSS}) and the peak since start ({@code VmHWM}). */
    public record Memory(long rssKb, long peakRssKb) {
        public Memory plus(Memory other) {
            return new Memory(rssKb + other.rssKb, peakRssKb + other.peakRssKb);
        }
    }

    /**
     * utime + stime from a {@code /proc/<pid>/stat} line. The command name (field 2) is in parentheses
     * and may itself contain spaces or parentheses, so fields are counted from the last ')'.
     */
    static long cpuTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + abbreviate(stat));
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // after the name: field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12
        if (fields.length < 13) {
            throw new IllegalArgumentException("/proc/<pid>/stat line has too few fields: " + abbreviate(stat));
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static Memory memory(String status) {
        long rss = -1;
        long peak = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line);
            } else if (line.startsWith("VmHWM:")) {
                peak = kilobytes(line);
            }
        }
        if (rss < 0 || peak < 0) {
            throw new IllegalArgumentException("/proc/<pid>/status has no VmRSS or VmHWM line (a kernel thread or a zombie?)");
        }
        return new Memory(rss, peak);
    }

    private static long kilobytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        if (parts.length != 2 || !parts[1].equals("kB")) {
            throw new IllegalArgumentException("expected '<n> kB' in '" + line + "'");
        }
        return Long.parseLong(parts[0]);
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor() == 0 && out.matches("\\d+")) {
                return Long.parseLong(out);
            }
        } catch (IOException e) {
            // no getconf: fall through to the value every Linux build on x86 and arm uses
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}
