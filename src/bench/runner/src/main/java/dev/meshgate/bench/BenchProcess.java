package dev.meshgate.bench;

import dev.meshgate.launcher.ProcessStopper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A process the benchmark started, its output in a log file. Knows when it was spawned, so the time
 * to its first good answer is measured from the real start. Closing stops it and its descendants
 * (SIGTERM, then SIGKILL after a grace period).
 */
public final class BenchProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 20;

    private final String name;
    private final Process process;
    private final long spawnedNanos;
    private final Path log;
    private volatile boolean closed;

    private BenchProcess(String name, Process process, long spawnedNanos, Path log) {
        this.name = name;
        this.process = process;
        this.spawnedNanos = spawnedNanos;
        this.log = log;
    }

    public static BenchProcess start(String name, List<String> command, Path workDir, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "# " + String.join(" ", command) + System.lineSeparator());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            long spawned = System.nanoTime();
            return new BenchProcess(name, builder.start(), spawned, log);
        } catch (IOException e) {
            throw new BenchException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Path log() {
        return log;
    }

    /**
     * Waits until {@code probe} answers 200 and returns the time from spawn to that answer. Fails with
     * the log's last lines when the process exits first or the timeout passes.
     */
    public Duration awaitReady(String what, Supplier<RawHttp.Answer> probe, Duration timeout) {
        long deadline = spawnedNanos + timeout.toNanos();
        RawHttp.Answer last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new BenchException(name + " exited with status " + process.exitValue() + " before " + what
                        + " answered; last lines of " + log + ":\n" + tail(30));
            }
            last = probe.get();
            if (last.ok()) {
                return Duration.ofNanos(System.nanoTime() - spawnedNanos);
            }
            sleep(POLL_MILLIS);
        }
        throw new BenchException(name + ": " + what + " did not answer 200 within " + timeout.toSeconds() + " s (last: "
                + (last == null ? "no attempt" : last.describe()) + "); last lines of " + log + ":\n" + tail(30));
    }

    /** The last lines of the log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /**
     * SIGTERM and a long wait: a JVM writing an AOT cache at exit needs more than the usual grace.
     * Returns whether it exited by itself; it is killed otherwise.
     */
    public boolean terminateAndWait(Duration limit) {
        closed = true;
        ProcessHandle handle = process.toHandle();
        handle.destroy();
        try {
            if (process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessStopper.stop(List.of(new ProcessStopper.Target(name, handle)), Duration.ZERO);
        return false;
    }

    @Override
    public void close() {
        closeAll(List.of(this));
    }

    /** Stops several at once: their shutdowns and grace periods run side by side, not one after another. */
    static void closeAll(List<BenchProcess> processes) {
        List<ProcessStopper.Target> targets = new ArrayList<>();
        for (BenchProcess process : processes) {
            if (!process.closed) {
                process.closed = true;
                targets.add(new ProcessStopper.Target(process.name, process.process.toHandle()));
            }
        }
        if (!targets.isEmpty()) {
            ProcessStopper.stop(targets, STOP_GRACE);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
