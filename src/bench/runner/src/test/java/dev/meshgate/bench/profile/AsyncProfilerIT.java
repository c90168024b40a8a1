package dev.meshgate.bench.profile;

import dev.meshgate.bench.BenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** async-profiler loaded from its Maven jar into a real JVM this test starts, as the benchmark's --profile does. */
class AsyncProfilerIT {

    @TempDir
    Path directory;

    @Test
    void profilesARunningJvmIntoAFlameGraphAndCollapsedStacks() throws Exception {
        AsyncProfiler profiler = AsyncProfiler.extractTo(directory.resolve("agent"));
        Process busy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BusyProcess.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(busy.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(busy.getOutputStream(), StandardCharsets.UTF_8)) {
            assertThat(out.readLine()).isEqualTo("ready");

            profiler.start(busy.pid());
            in.write("go\n");
            in.flush();
            // async-profiler prints its own lines to the process's output: wait for the work's end among them
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("done"));
            assertThat(line).as("the busy process finished its work").isNotNull();
            Path flameGraph = directory.resolve("busy.html");
            Path collapsed = directory.resolve("busy.collapsed.txt");
            profiler.stop(busy.pid(), flameGraph, collapsed);

            // the page packs frame names; the collapsed stacks below carry them whole
            assertThat(Files.readString(flameGraph)).contains("<html", "CPU profile");
            CpuProfile profile = CpuProfile.parse("busy", Files.readAllLines(collapsed), flameGraph.toString());
            assertThat(profile.samples()).as("samples in a second of CPU at one per ms").isGreaterThan(300);
            assertThat(profile.hottestFrames()).extracting(CpuProfile.FrameShare::frame)
                    .contains("dev.meshgate.bench.profile.BusyProcess.spin");
        } finally {
            busy.destroy();
            if (!busy.waitFor(10, TimeUnit.SECONDS)) {
                busy.destroyForcibly();
            }
        }
    }

    @Test
    void aProcessThatIsNotThereIsNamedInTheError() {
        AsyncProfiler profiler = AsyncProfiler.extractTo(directory);
        long gone = ProcessHandle.current().pid() + 1_000_000;

        assertThatThrownBy(() -> profiler.start(gone))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("cannot attach to process " + gone);
    }

    @Test
    void aTargetPathWithACommaIsRefusedBeforeTheAgentCouldCutItShort() {
        AsyncProfiler profiler = AsyncProfiler.extractTo(directory);

        assertThatThrownBy(() -> profiler.stop(ProcessHandle.current().pid(), directory.resolve("a,b.html"), directory.resolve("c.txt")))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("cannot hold a comma");
    }
}
