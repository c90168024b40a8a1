package dev.meshgate.e2e;

import dev.meshgate.launcher.HttpProbe;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** For the tests that start one of the built jars themselves: wait for it, stop it, clear its directory. */
final class TestProcesses {

    private TestProcesses() {
    }

    /** Waits until {@code url} answers 2xx; fails, pointing at {@code log}, if the process exits first. */
    static void awaitOk(Process process, URI url, Duration timeout, Path log) {
        HttpProbe probe = new HttpProbe();
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive() || probe.get(url).ok());
        assertThat(process.isAlive()).as("process running; its log: %s", log).isTrue();
    }

    /** Stops the process and whatever it started: gracefully, then by force. */
    static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
