package dev.meshgate.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessStopperTest {

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    /** Starts a sleeper and returns once it has said it is ready (so signals reach a running JVM). */
    private Process sleeper(String... args) throws Exception {
        Process process = new ProcessBuilder(ChildProcesses.javaCommand(Sleeper.class, args)).redirectErrorStream(true).start();
        started.add(process.toHandle());
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null && !line.equals("ready")) {
            if (line.startsWith("child ")) {
                ProcessHandle.of(Long.parseLong(line.substring("child ".length()))).ifPresent(started::add);
            }
        }
        return process;
    }

    @Test
    void aChildStopsOnSigtermWithinTheGracePeriod() throws Exception {
        Process child = sleeper();

        List<String> forced = ProcessStopper.stop(List.of(new ProcessStopper.Target("sleeper", child.toHandle())),
                ProcessStopper.DEFAULT_GRACE);

        assertThat(forced).isEmpty();
        assertThat(child.isAlive()).isFalse();
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the polite signal
        assertThat(child.exitValue()).isEqualTo(143);
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        Process stubborn = sleeper("stubborn");

        List<String> forced = ProcessStopper.stop(List.of(new ProcessStopper.Target("stubborn", stubborn.toHandle())),
                Duration.ofSeconds(1));

        assertThat(forced).containsExactly("stubborn");
        assertThat(stubborn.isAlive()).isFalse();
    }

    @Test
    void descendantsAreStoppedWithTheirParent() throws Exception {
        Process parent = sleeper("parent");
        List<ProcessHandle> descendants = parent.toHandle().descendants().toList();
        assertThat(descendants).isNotEmpty();

        ProcessStopper.stop(List.of(new ProcessStopper.Target("parent", parent.toHandle())), ProcessStopper.DEFAULT_GRACE);

        assertThat(parent.isAlive()).isFalse();
        assertThat(descendants).allSatisfy(child -> assertThat(child.isAlive()).isFalse());
    }

    @Test
    void aTargetAlreadyGoneDoesNotKeepTheOthersRunning() throws Exception {
        Process gone = sleeper();
        gone.destroyForcibly().waitFor();
        Process alive = sleeper();

        List<String> forced = ProcessStopper.stop(List.of(new ProcessStopper.Target("gone", gone.toHandle()),
                new ProcessStopper.Target("alive", alive.toHandle())), ProcessStopper.DEFAULT_GRACE);

        assertThat(forced).isEmpty();
        assertThat(alive.isAlive()).isFalse();
    }
}
