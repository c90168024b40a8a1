package dev.meshgate.bench.profile;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.meshgate.bench.BenchException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * async-profiler's native agent, taken from its Maven Central jar on the runner's class path and loaded
 * into a running JVM through the attach API: no profiler to install, and the contenders start exactly
 * as they do unprofiled. Each command is one agent load; the agent stays loaded between them.
 */
public final class AsyncProfiler {

    static final String LIBRARY_RESOURCE = "linux-x64/libasyncProfiler.so";
    /** Not a divisor of common timer periods, so sampling does not lock step with periodic work. */
    private static final String INTERVAL = "997us";

    private final Path library;

    private AsyncProfiler(Path library) {
        this.library = library;
    }

    /** Copies the agent out of the runner's class path into {@code directory}. */
    public static AsyncProfiler extractTo(Path directory) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new BenchException("profiling needs Linux on x86-64 (async-profiler's linux-x64 agent); this is "
                    + os + " on " + arch);
        }
        Path library = directory.toAbsolutePath().resolve("libasyncProfiler.so");
        try (InputStream in = AsyncProfiler.class.getClassLoader().getResourceAsStream(LIBRARY_RESOURCE)) {
            if (in == null) {
                throw new BenchException("async-profiler's agent (" + LIBRARY_RESOURCE + ") is not on the runner's class path");
            }
            Files.createDirectories(directory);
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BenchException("cannot write async-profiler's agent to " + library + ": " + e.getMessage(), e);
        }
        return new AsyncProfiler(library);
    }

    /** Starts sampling the process's CPU time: Java and native frames, and the kernel's where perf events allow. */
    public void start(long pid) {
        execute(pid, "start,event=cpu,interval=" + INTERVAL);
    }

    /** Stops sampling and writes what was sampled as a flame graph and as collapsed stacks (one line per stack and count). */
    public void stop(long pid, Path flameGraph, Path collapsedStacks) {
        execute(pid, "stop,file=" + optionPath(flameGraph));
        // the samples stay with the agent until the next start: the same profile, a second format
        execute(pid, "dump,collapsed,file=" + optionPath(collapsedStacks));
    }

    private void execute(long pid, String command) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new BenchException("cannot attach to process " + pid + " to profile it: " + e.getMessage(), e);
        }
        try {
            vm.loadAgentPath(library.toString(), command);
        } catch (AgentInitializationException e) {
            throw new BenchException("async-profiler refused '" + command + "' in process " + pid
                    + " (its reason is in that process's log): " + e.getMessage(), e);
        } catch (AgentLoadException | IOException e) {
            throw new BenchException("cannot load async-profiler into process " + pid + ": " + e.getMessage(), e);
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // the command ran or failed above; a detach failing leaves nothing behind to clean up
            }
        }
    }

    /** The agent's options are comma-separated: a path with a comma would be cut short. */
    private static String optionPath(Path file) {
        String path = file.toAbsolutePath().toString();
        if (path.indexOf(',') >= 0) {
            throw new BenchException("cannot profile into " + path + ": async-profiler's options cannot hold a comma");
        }
        return path;
    }
}
