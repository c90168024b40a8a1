package dev.meshgate.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A previous run's JSON read back as the baseline, and the report's comparison with it. */
class BaselineTest {

    private static final int KIB = 1024;

    /** nginx and the hop at 1 KiB and 1,000 req/s, a 64 KiB size and a 500 req/s rate that must be ignored. */
    private static final String PREVIOUS = """
            {
              "mode": "full",
              "startedAt": "2026-11-01T10:00:00Z",
              "loadAverageBefore": 1.25,
              "loadAverageAfter": 0.5,
              "contenders": [
                {"id": "nginx", "readyMillis": 20, "processes": [{"label": "nginx", "steadyRssKb": 8192}],
                 "sizes": [
                   {"bodyBytes": 65536, "saturation": {"requestsPerSecond": 9000}, "rates": []},
                   {"bodyBytes": 1024, "saturation": {"requestsPerSecond": 50000},
                    "saturationCpuMicrosPerRequest": {"nginx": 40},
                    "rates": [{"load": {"targetRate": 500, "responseTime": {"p50Micros": 1, "p99Micros": 2}}},
                              {"load": {"targetRate": 1000, "responseTime": {"p50Micros": 350, "p99Micros": 1200}}}]}]},
                {"id": "mesh-node-hop", "readyMillis": 3000,
                 "processes": [{"label": "node A (outbound)", "steadyRssKb": 102400},
                               {"label": "node B (inbound)", "steadyRssKb": null}],
                 "sizes": [{"bodyBytes": 1024, "saturation": {"requestsPerSecond": 30000},
                    "saturationCpuMicrosPerRequest": {"node A (outbound)": 50, "node B (inbound)": 60},
                    "rates": [{"load": {"targetRate": 1000, "responseTime": {"p50Micros": 500, "p99Micros": null}}}]}]},
                {"id": "gone-since", "readyMillis": 5, "processes": [], "sizes": []}
              ]
            }
            """;

    @Test
    void readsEachContendersFiguresAtTheBodySizeAndRateAsked(@TempDir Path dir) throws Exception {
        Baseline baseline = Baseline.read(write(dir, PREVIOUS), KIB, 1_000);

        assertThat(baseline.available()).isTrue();
        assertThat(baseline.startedAt()).isEqualTo("2026-11-01T10:00:00Z");
        assertThat(baseline.loadAverageBefore()).isEqualTo(1.25);
        ComparedFigures hop = baseline.contender("mesh-node-hop");
        assertThat(hop.requestsPerSecond()).isEqualTo(30_000);
        assertThat(hop.p50Micros()).isEqualTo(500);
        // written as null: not measured
        assertThat(hop.p99Micros()).isNaN();
        assertThat(hop.saturationCpuMicrosPerRequest()).containsEntry("node B (inbound)", 60.0);
        assertThat(hop.steadyRssKb()).containsEntry("node A (outbound)", 102_400L).containsEntry("node B (inbound)", -1L);
        assertThat(baseline.contender("nginx").p50Micros()).isEqualTo(350);
        assertThat(baseline.contender("gone-since").requestsPerSecond()).isNaN();
    }

    @Test
    void theReportComparesEachContenderInBothRunsAbsolutelyAndAgainstNginx(@TempDir Path dir) throws Exception {
        String markdown = MarkdownReport.render(withBaseline(ReportTest.fixture(), Baseline.read(write(dir, PREVIOUS), KIB, 1_000)));

        assertThat(markdown).contains("## Against the baseline run", "started 2026-11-01T10:00:00Z",
                "load average (1 min) before it 1.25, after 0.50", "the fairer reading");
        // hop 30,000 → 36,000 req/s; against nginx's 50,000 then and 40,000 now: 0.60× → 0.90×
        assertThat(markdown).contains("| mesh-node-hop | req/s, 1 KiB | 30,000 | 36,000 | +20% | 0.60× | 0.90× | +50% |");
        // p50 500 → 400 µs, nginx's 350 both times
        assertThat(markdown).contains("| mesh-node-hop | p50 @1,000 req/s | 500 µs | 400 µs | -20% | 1.43× | 1.14× | -20% |");
        assertThat(markdown).contains("| mesh-node-hop | p99 @1,000 req/s | - | 2.50 ms | - | - | 2.08× | - |");
        // node A 50 → 40 µs against nginx's 40 both times
        assertThat(markdown).contains("| mesh-node-hop | CPU µs/req (sat.), node A (outbound) | 50.0 | 40.0 | -20% | 1.25× | 1.00× | -20% |");
        assertThat(markdown).contains("| mesh-node-hop | RSS steady MB, node A (outbound) | 100 | 90 | -10% |");
        assertThat(markdown).contains("| mesh-node-hop | ready | 3,000 ms | 100 ms | -97% |");
        // in this run only, or in the baseline only: not compared
        assertThat(markdown).doesNotContain("| plain-scg | req/s", "| gone-since |");
    }

    @Test
    void aMissingOrUnreadableBaselineIsSaidNotThrown(@TempDir Path dir) throws Exception {
        Baseline missing = Baseline.read(dir.resolve("latest.json"), KIB, 1_000);
        assertThat(missing.available()).isFalse();
        assertThat(missing.unavailable()).startsWith("no file at ");
        assertThat(MarkdownReport.render(withBaseline(ReportTest.fixture(), missing)))
                .contains("## Against the baseline run\n\nNo baseline run: no file at " + dir.resolve("latest.json") + ".");

        assertThat(Baseline.read(write(dir, "{\"mode\": \"full\", \"contenders\": [1"), KIB, 1_000).unavailable())
                .startsWith("unreadable: ");
        assertThat(Baseline.read(write(dir, "{\"mode\": \"full\"}"), KIB, 1_000).unavailable())
                .isEqualTo("unreadable: contenders is not a JSON array");
        assertThat(Baseline.read(write(dir, "{\"contenders\": [{\"id\": \"nginx\", \"sizes\": 3}]}"), KIB, 1_000).unavailable())
                .isEqualTo("unreadable: sizes is not a JSON array");
    }

    @Test
    void aRunsOwnJsonReadsBackAsTheFiguresItWasWrittenFrom(@TempDir Path dir) throws Exception {
        RunFigures run = ReportTest.fixture();

        Baseline baseline = Baseline.read(write(dir, ReportJson.write(run)), KIB, 1_000);

        assertThat(baseline.startedAt()).isEqualTo(run.startedAt());
        assertThat(baseline.contenders())
                .isEqualTo(ComparedFigures.of(run, KIB, 1_000));
    }

    @Test
    void theCommittedResultsReadBackAsABaseline() {
        Baseline committed = Baseline.read(Path.of("../results/latest.json"), KIB, 1_000);

        assertThat(committed.unavailable()).isNull();
        assertThat(committed.mode()).isEqualTo("full");
        assertThat(committed.contender("nginx").requestsPerSecond()).isPositive();
        assertThat(committed.contender("mesh-node-hop").p50Micros()).isPositive();
    }

    @Test
    void theNewJsonNamesTheBaselineAndKeepsItsFigures(@TempDir Path dir) throws Exception {
        Path previous = write(dir, PREVIOUS);
        String json = ReportJson.write(withBaseline(ReportTest.fixture(), Baseline.read(previous, KIB, 1_000)));

        @SuppressWarnings("unchecked")
        Map<String, Object> baseline = (Map<String, Object>) ((Map<String, Object>) ReportJson.read(json)).get("baseline");
        assertThat(baseline.get("path")).isEqualTo(previous.toString());
        assertThat(baseline.get("startedAt")).isEqualTo("2026-11-01T10:00:00Z");
        assertThat(baseline.get("unavailable")).isNull();
        assertThat((List<?>) baseline.get("contenders")).hasSize(3);
    }

    private static Path write(Path dir, String json) throws Exception {
        Path file = dir.resolve("previous.json");
        Files.writeString(file, json);
        return file;
    }

    private static RunFigures withBaseline(RunFigures run, Baseline baseline) {
        return new RunFigures(run.mode(), run.startedAt(), run.totalSeconds(), run.machine(), run.method(),
                run.loadAverageBefore(), run.loadAverageAfter(), run.warmUpSeconds(), run.saturationSeconds(), run.rateSeconds(),
                run.bodySizes(), run.rates(), run.contenders(), run.startup(), run.notes(), baseline);
    }
}
