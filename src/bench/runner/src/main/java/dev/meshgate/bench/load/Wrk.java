package dev.meshgate.bench.load;

import dev.meshgate.bench.BenchException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop saturation with wrk: a fixed number of keep-alive connections, each sending its next
 * request as soon as the previous answer arrives. One thread: on a small machine the load generator
 * competes with the proxy for cores, and one wrk thread saturates every contender here.
 */
public final class Wrk {

    private final String executable;
    private final int threads;
    private final int connections;

    public Wrk(String executable, int threads, int connections) {
        if (threads < 1 || connections < threads) {
            throw new IllegalArgumentException("wrk needs at least one thread and as many connections as threads, was "
                    + threads + " threads and " + connections + " connections");
        }
        this.executable = executable;
        this.threads = threads;
        this.connections = connections;
    }

    public int connections() {
        return connections;
    }

    public List<String> command(String url, String host, Duration duration) {
        List<String> command = new ArrayList<>(List.of(executable, "-t" + threads, "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s", "--latency", "--timeout", "10s"));
        if (host != null) {
            command.add("-H");
            command.add("Host: " + host);
        }
        command.add(url);
        return command;
    }

    public WrkResult run(String url, String host, Duration duration) {
        List<String> command = command(url, host, duration);
        try {
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = wrk.getInputStream().readAllBytes();
            if (!wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
                wrk.destroyForcibly();
                throw new BenchException("wrk did not finish: " + String.join(" ", command));
            }
            return WrkResult.parse(new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BenchException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while running wrk", e);
        } catch (IllegalArgumentException e) {
            throw new BenchException(e.getMessage(), e);
        }
    }
}
