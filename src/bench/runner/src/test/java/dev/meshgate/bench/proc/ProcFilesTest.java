package dev.meshgate.bench.proc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcFilesTest {

    // a real line, its command name holding a space and a parenthesis: fields must be counted from the last ')'
    private static final String STAT = "4242 (java (a b)) S 1 4242 4242 0 -1 4194560 91527 0 12 0 1234 567 0 0 20 0 "
            + "38 0 2715 5146947584 46000 18446744073709551615 1 1 0 0 0 0 4 0 16800975 0 0 0 17 1 0 0 0 0 0";

    private static final String STATUS = """
            Name:\tjava
            State:\tS (sleeping)
            VmPeak:\t 5026312 kB
            VmHWM:\t  190480 kB
            VmRSS:\t  184000 kB
            Threads:\t38
            """;

    @Test
    void cpuTicksAreUserPlusSystemTime() {
        assertThat(ProcFiles.cpuTicks(STAT)).isEqualTo(1234 + 567);
    }

    @Test
    void memoryIsResidentNowAndAtPeak() {
        assertThat(ProcFiles.memory(STATUS)).isEqualTo(new ProcFiles.Memory(184_000, 190_480));
    }

    @Test
    void readsThroughAProcTreeAndConvertsTicksToMicroseconds(@TempDir Path proc) throws IOException {
        Files.createDirectories(proc.resolve("4242"));
        Files.writeString(proc.resolve("4242/stat"), STAT);
        Files.writeString(proc.resolve("4242/status"), STATUS);
        ProcFiles files = new ProcFiles(proc, 100);

        assertThat(files.cpuMicros(4242)).isEqualTo((1234 + 567) * 10_000L);
        assertThat(files.memory(4242).peakRssKb()).isEqualTo(190_480);
    }

    @Test
    void rejectsWhatIsNotAStatLineOrHasNoMemoryLines() {
        assertThatThrownBy(() -> ProcFiles.cpuTicks("garbage")).hasMessageContaining("not a /proc/<pid>/stat line");
        assertThatThrownBy(() -> ProcFiles.memory("Name:\tkthreadd\n")).hasMessageContaining("no VmRSS or VmHWM");
    }

    @Test
    void readsThisProcessFromTheLiveProc() throws IOException {
        ProcFiles live = ProcFiles.system();
        long pid = ProcessHandle.current().pid();

        assertThat(live.clockTicksPerSecond()).isPositive();
        assertThat(live.cpuMicros(pid)).isPositive();
        assertThat(live.memory(pid).rssKb()).isPositive().isLessThanOrEqualTo(live.memory(pid).peakRssKb());
    }
}
