package dev.meshgate.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateFileTest {

    @TempDir
    Path runDir;

    @Test
    void aWrittenStateReadsBackTheSame() throws Exception {
        StateFile.RunState state = new StateFile.RunState(Instant.parse("2025-01-02T03:04:05Z"), true,
                "http://127.0.0.1:8080", "http://127.0.0.1:8888", "http://127.0.0.1:8761", List.of(
                new StateFile.ProcessRecord("registry", Role.REGISTRY, 4242, Instant.parse("2025-01-02T03:04:05.123Z"), "8761",
                        URI.create("http://127.0.0.1:8761/actuator/health"), runDir.resolve("logs/registry.log")),
                new StateFile.ProcessRecord("mesh-node-search-1", Role.MESH_NODE, 4243, null, "15100,15101,15106",
                        URI.create("http://127.0.0.1:15100/actuator/health/readiness"), runDir.resolve("logs/a b:c.log"))));
        Path file = StateFile.in(runDir);

        StateFile.write(file, state);

        assertThat(StateFile.read(file)).contains(state);
        assertThat(runDir.resolve("state.properties.tmp")).doesNotExist();
    }

    @Test
    void noFileMeansNoState() throws Exception {
        assertThat(StateFile.read(StateFile.in(runDir))).isEmpty();
    }

    @Test
    void aDamagedFileIsReportedWithWhatToDo() throws Exception {
        Path file = StateFile.in(runDir);
        Files.writeString(file, "process.count=1\nstarted-at=yesterday\n");
        assertThatThrownBy(() -> StateFile.read(file)).isInstanceOf(LaunchException.class)
                .hasMessageContaining("is damaged ('process.0.name' is missing)")
                .hasMessageEndingWith("stop the processes by hand if any still run, then delete it");
    }

    @Test
    void aRecordOfAnExitedProcessHasNoLiveHandle() throws Exception {
        Process exited = new ProcessBuilder(ChildProcesses.javaCommand(FakeComponent.class)).start();
        exited.destroyForcibly().waitFor();
        StateFile.ProcessRecord record = new StateFile.ProcessRecord("gone", Role.SAMPLES, exited.pid(), null, "9001",
                URI.create("http://127.0.0.1:9001/health"), runDir.resolve("x.log"));
        assertThat(record.liveHandle()).isEmpty();
        StateFile.ProcessRecord reused = new StateFile.ProcessRecord("me", Role.SAMPLES, ProcessHandle.current().pid(),
                Instant.parse("2000-01-01T00:00:00Z"), "9001", URI.create("http://127.0.0.1:9001/health"), runDir.resolve("x.log"));
        assertThat(reused.liveHandle()).as("a live pid that started at another time is another process").isEmpty();
    }
}
