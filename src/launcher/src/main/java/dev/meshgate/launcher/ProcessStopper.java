package dev.meshgate.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Stops processes the polite way first: SIGTERM to each process and its descendants, a grace period
 * for shutdown hooks, then SIGKILL to whatever is left. Never throws: every process is asked to stop
 * whatever happens to the others.
 */
public final class ProcessStopper {

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private ProcessStopper() {
    }

    /** A process to stop and the name to report it by. */
    public record Target(String name, ProcessHandle handle) {
    }

    /**
     * Stops every target and returns the names of those that had to be killed forcibly (or could not
     * be stopped at all). Returns once all have exited, or after grace plus a few seconds at most.
     */
    public static List<String> stop(List<Target> targets, Duration grace) {
        List<ProcessHandle> everything = new ArrayList<>();
        for (Target target : targets) {
            // descendants first collected while the parent lives: once it dies they are re-parented
            List<ProcessHandle> tree = tree(target.handle());
            everything.addAll(tree);
            for (ProcessHandle handle : tree) {
                try {
                    handle.destroy();
                } catch (RuntimeException e) {
                    // not ours to signal, or already gone: the forcible pass below reports it
                }
            }
        }
        awaitExit(everything, grace);
        List<String> forced = new ArrayList<>();
        for (Target target : targets) {
            boolean anyAlive = false;
            for (ProcessHandle handle : tree(target.handle())) {
                if (handle.isAlive()) {
                    anyAlive = true;
                    try {
                        handle.destroyForcibly();
                    } catch (RuntimeException e) {
                        // reported through the name below
                    }
                }
            }
            if (anyAlive || target.handle().isAlive()) {
                forced.add(target.name());
            }
        }
        if (!forced.isEmpty()) {
            awaitExit(everything, AFTER_KILL);
        }
        return forced;
    }

    private static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        try (Stream<ProcessHandle> descendants = root.descendants()) {
            descendants.forEach(tree::add);
        } catch (RuntimeException e) {
            // descendants are unknowable on this platform: the root alone is still stopped
        }
        return tree;
    }

    private static void awaitExit(List<ProcessHandle> handles, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (ProcessHandle handle : handles) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            try {
                CompletableFuture<ProcessHandle> exited = handle.onExit();
                exited.get(remaining, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // onExit failed for this handle: move on to the next
            }
        }
    }
}
