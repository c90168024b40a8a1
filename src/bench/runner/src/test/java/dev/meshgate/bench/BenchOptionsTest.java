package dev.meshgate.bench;

import dev.meshgate.bench.report.Baseline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Which previous run a report is compared with; profiling only when asked for. */
class BenchOptionsTest {

    @Test
    void theBaselineIsTheReportInTheOutputDirectoryUnlessAnotherOrNoneIsNamed(@TempDir Path out) {
        Path defaultFile = out.resolve(BenchMain.reportName("quick") + ".json");

        assertThat(BenchMain.baseline(BenchOptions.parse("--quick"), defaultFile, 1024).unavailable())
                .isEqualTo("no file at " + out.resolve("quick.json"));
        assertThat(BenchMain.baseline(BenchOptions.parse("--baseline=" + out.resolve("old.json")), defaultFile, 1024).path())
                .isEqualTo(out.resolve("old.json").toString());
        Baseline none = BenchMain.baseline(BenchOptions.parse("--baseline=none"), defaultFile, 1024);
        assertThat(none.available()).isFalse();
        assertThat(none.unavailable()).contains("--baseline=none");
        assertThat(BenchMain.reportName("full")).isEqualTo("latest");
    }

    @Test
    void profilesAreTakenOnlyWhenAskedForAndFilesAreNamedAfterTheProcess() {
        assertThat(BenchOptions.parse("--quick").profile()).isFalse();
        assertThat(BenchOptions.parse("--quick", "--profile").profile()).isTrue();
        assertThat(ContenderMeasurement.fileName("node A (outbound)")).isEqualTo("node-a-outbound");
        assertThat(ContenderMeasurement.fileName("(?)")).isEqualTo("process");
    }
}
