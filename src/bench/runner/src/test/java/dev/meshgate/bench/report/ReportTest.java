package dev.meshgate.bench.report;

import dev.meshgate.bench.load.LatencySummary;
import dev.meshgate.bench.load.OpenLoopResult;
import dev.meshgate.bench.load.WrkResult;
import dev.meshgate.bench.profile.CpuProfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The report on a fixture run: ratios, added latency and target verdicts come out of the figures given. */
class ReportTest {

    private static final int KIB = 1024;

    @Test
    void targetsCompareTheHopWithDirectNginxAndThePlainGateway() {
        Map<String, Targets.Row> rows = byTarget(Targets.evaluate(fixture()));

        // hop p50 400 µs against direct's 300: 100 µs added
        assertThat(rows.get("mesh-node hop: added latency p50 at 1,000 req/s").measured()).isEqualTo("100 µs");
        assertThat(rows.get("mesh-node hop: added latency p50 at 1,000 req/s").status()).isEqualTo(Targets.Status.MET);
        // p99 2,500 against 1,000: 1.5 ms added, over the 1 ms bound
        assertThat(rows.get("mesh-node hop: added latency p99 at 1,000 req/s").status()).isEqualTo(Targets.Status.MISSED);
        // nodes at 40 and 50 µs: 45 on average
        assertThat(rows.get("CPU per request per mesh-node (saturation)").measured()).isEqualTo("45.0 µs");
        assertThat(rows.get("mesh-node hop throughput vs nginx").measured()).isEqualTo("0.90×");
        // the same path with nginx in both places: 36,000 against 38,000
        assertThat(rows.get("mesh-node hop throughput vs an nginx pair (nginx → nginx → app, the same path)").measured())
                .isEqualTo("0.95×");
        // the pair at 380 / 1,500 µs against direct's 300 / 1,000: shown beside the hop's, without a verdict
        Targets.Row pairLatency = rows.get("added latency of an nginx pair at 1,000 req/s (p50 / p99), beside the hop's");
        assertThat(pairLatency.measured()).isEqualTo("80 µs / 500 µs");
        assertThat(pairLatency.status()).isEqualTo(Targets.Status.FOR_COMPARISON);
        assertThat(rows.get("mesh-node hop throughput vs plain Spring Cloud Gateway").status()).isEqualTo(Targets.Status.MET);
        // one node, the like-for-like peer of nginx: 34,000 against 40,000 and 7,000
        assertThat(rows.get("one mesh-node (a single proxy, as nginx) throughput vs nginx").measured()).isEqualTo("0.85×");
        assertThat(rows.get("one mesh-node (a single proxy, as nginx) throughput vs nginx").status()).isEqualTo(Targets.Status.MET);
        assertThat(rows.get("one mesh-node (a single proxy) throughput vs plain Spring Cloud Gateway").measured()).isEqualTo("4.86×");
        assertThat(rows.get("our gateway (policies on) throughput vs plain Spring Cloud Gateway").measured()).isEqualTo("1.20×");
        assertThat(rows.get("our gateway (policies on) throughput vs plain Spring Cloud Gateway").status())
                .isEqualTo(Targets.Status.MISSED);
        assertThat(rows.get("mesh-node RSS under 1,000 req/s (largest node)").measured()).isEqualTo("100.0 MB");
        // the single node's start (2,300 ms), not the hop's pair starting side by side (2,500)
        assertThat(rows.get("mesh-node ready after start (JDK of the run)").measured()).isEqualTo("2,300 ms");
        assertThat(rows.get("mesh-node ready after start (JDK of the run)").status()).isEqualTo(Targets.Status.MISSED);
        // the hop with policies on against the bare hop: 33,000 / 36,000, and p99 (2,560 - 1,000) - (2,500 - 1,000)
        assertThat(rows.get("mesh-node hop with policies on: throughput vs the bare hop").measured()).isEqualTo("0.92×");
        assertThat(rows.get("mesh-node hop with policies on: throughput vs the bare hop").status()).isEqualTo(Targets.Status.MET);
        assertThat(rows.get("mesh-node hop with policies on: p99 at 1,000 req/s beyond the bare hop's").measured()).isEqualTo("60 µs");
        assertThat(rows.get("mesh-node hop with policies on: p99 at 1,000 req/s beyond the bare hop's").status())
                .isEqualTo(Targets.Status.MET);
    }

    @Test
    void ratiosAndAddedLatencyGoThroughTheReferencesMeasuredAlongsideEachContender() {
        RunFigures run = fixture();
        // the machine ran at three quarters of its speed while the node and the plain gateway were measured:
        // the reference nginx beside them did 30,000 req/s against 40,000 beside nginx itself, and direct's
        // p50 at 1,000 req/s was 350 µs (mean of 340 and 360) beside the hop instead of the run's 300
        List<ContenderFigures> contenders = run.contenders().stream().map(contender -> switch (contender.id()) {
            case "nginx", "nginx-pair", "direct", "gateway" -> withAlongside(contender, 40_000, 39_000, 41_000, null);
            case "mesh-node", "plain-scg" -> withAlongside(contender, 30_000, 29_000, 31_000, null);
            case "mesh-node-hop" -> withAlongside(contender, 40_000, 40_000, 40_000, directAlongside(340, 360, 900, 1_100));
            default -> contender;
        }).toList();
        RunFigures paired = withContenders(run, contenders);
        Map<String, Targets.Row> rows = byTarget(Targets.evaluate(paired));

        // 34,000 / 30,000 against nginx's 40,000 / 40,000: 1.13×, not the plain 0.85×
        assertThat(rows.get("one mesh-node (a single proxy, as nginx) throughput vs nginx").measured()).isEqualTo("1.13×");
        // both measured in the slow stretch: the plain ratio stands, 34,000 against 7,000
        assertThat(rows.get("one mesh-node (a single proxy) throughput vs plain Spring Cloud Gateway").measured()).isEqualTo("4.86×");
        // the gateway (normal speed) against the plain gateway (slow stretch): 8,400 / 40,000 over 7,000 / 30,000
        assertThat(rows.get("our gateway (policies on) throughput vs plain Spring Cloud Gateway").measured()).isEqualTo("0.90×");
        // hop p50 400 µs minus the 350 µs measured beside it; p99 2,500 minus 1,000
        assertThat(rows.get("mesh-node hop: added latency p50 at 1,000 req/s").measured()).isEqualTo("50 µs");
        assertThat(rows.get("mesh-node hop: added latency p99 at 1,000 req/s").measured()).isEqualTo("1.50 ms");
        // the pair has no direct windows of its own: the run's direct contender is its base, as before
        assertThat(rows.get("added latency of an nginx pair at 1,000 req/s (p50 / p99), beside the hop's").measured())
                .isEqualTo("80 µs / 500 µs");

        String markdown = MarkdownReport.render(paired);
        // the saturation table shows the reference beside each contender; × direct goes through it too
        assertThat(markdown).contains("| mesh-node | 34,000 | 30,000 | 0.45× | 1.13× |");
        assertThat(markdown).contains("| mesh-node | 34,000 | 0.45× | 1.13× | 350 µs | 1.80 ms | 50 µs | 800 µs |");
        assertThat(ReportJson.write(paired)).contains("\"nginxAlongside\": {", "\"directAlongside\": {");
    }

    @Test
    void aContenderWithoutAReferenceIsComparedByItsOwnFigures() {
        RunFigures run = fixture();
        List<ContenderFigures> contenders = run.contenders().stream()
                .map(contender -> contender.id().equals("nginx") ? withAlongside(contender, 20_000, 20_000, 20_000, null) : contender)
                .toList();
        Map<String, Targets.Row> rows = byTarget(Targets.evaluate(withContenders(run, contenders)));

        // the node has no reference beside it, so nginx's is not used either: 34,000 against 40,000
        assertThat(rows.get("one mesh-node (a single proxy, as nginx) throughput vs nginx").measured()).isEqualTo("0.85×");
        assertThat(PairedFigures.throughputRatio(run.contender("mesh-node"), contenders.get(1), KIB))
                .isCloseTo(34_000.0 / 40_000, within(1e-9));
    }

    @Test
    void cpuAtTheFixedRateIsShownBesideNginxAndHaproxyAtThatRateWithoutAVerdict() {
        RunFigures run = fixture();
        List<ContenderFigures> contenders = new ArrayList<>();
        for (ContenderFigures contender : run.contenders()) {
            contenders.add(switch (contender.id()) {
                case "nginx" -> withRateCpu(contender, Map.of("nginx", 60.0));
                case "mesh-node-hop" -> withRateCpu(contender, Map.of("node A (outbound)", 70.0, "node B (inbound)", 75.0));
                default -> contender;
            });
        }
        contenders.add(withRateCpu(contender("haproxy", 50_000, 320, 1_100, List.of(process("haproxy", false, 80, 16_000))),
                Map.of("haproxy", 50.0)));

        Map<String, Targets.Row> rows = byTarget(Targets.evaluate(withContenders(run, contenders)));

        // the saturation target still reads the saturation figures: nodes at 40 and 50 µs
        assertThat(rows.get("CPU per request per mesh-node (saturation)").measured()).isEqualTo("45.0 µs");
        Targets.Row atRate = rows.get("CPU per request per mesh-node at 1,000 req/s (every request pays its own wake-ups)");
        // nodes at 70 and 75 µs at the rate: 72.5 on average, against nginx's 60 and HAProxy's 50 at the same rate
        assertThat(atRate.measured()).isEqualTo("72.5 µs = 1.21× nginx (60.0 µs), 1.45× HAProxy (50.0 µs)");
        assertThat(atRate.status()).isEqualTo(Targets.Status.FOR_COMPARISON);
        assertThat(atRate.bound()).doesNotContain("50 µs");
        assertThat(MarkdownReport.render(withContenders(run, contenders)))
                .contains("| 72.5 µs = 1.21× nginx (60.0 µs), 1.45× HAProxy (50.0 µs) | for comparison |");
    }

    @Test
    void aProxyMissingAtTheFixedRateIsSaidAndANodeMissingLeavesTheRowUnmeasured() {
        RunFigures run = fixture();
        Targets.Row withoutHaproxy = Targets.cpuAtRateBesideProxies(run, KIB, 1_000);
        assertThat(withoutHaproxy.measured()).isEqualTo("45.0 µs = 1.13× nginx (40.0 µs), HAProxy not measured");

        RunFigures withoutHop = withContenders(run, run.contenders().stream().filter(c -> !c.id().equals("mesh-node-hop")).toList());
        assertThat(Targets.cpuAtRateBesideProxies(withoutHop, KIB, 1_000).status()).isEqualTo(Targets.Status.NOT_MEASURED);
    }

    @Test
    void missingContendersLeaveTheirTargetsUnmeasuredRatherThanFailing() {
        RunFigures run = fixture();
        RunFigures withoutHop = withContenders(run, run.contenders().stream().filter(c -> !c.id().equals("mesh-node-hop")).toList());

        assertThat(byTarget(Targets.evaluate(withoutHop)).get("mesh-node hop throughput vs nginx").status())
                .isEqualTo(Targets.Status.NOT_MEASURED);
    }

    @Test
    void nodeStartUpRowsStandTogetherTheClassArchiveCaseAmongThem() {
        RunFigures run = fixture();
        List<StartupFigures> startup = List.of(
                new StartupFigures("mesh-node", "JDK 17 (jar)", 7_000, 180_000, null),
                new StartupFigures("mesh-node", "JDK 17 + AppCDS archive (extracted jar, as ./mesh up)", 1_800, 90_000, null),
                new StartupFigures("mesh-node", "JDK 25 (extracted jar)", 3_000, 190_000, null),
                new StartupFigures("gateway", "JDK 25 (extracted jar)", 5_000, 290_000, null),
                new StartupFigures("mesh-node", "JDK 25 + AOT cache (extracted jar)", Double.NaN, -1, "training run failed"));
        RunFigures withStartup = new RunFigures(run.mode(), run.startedAt(), run.totalSeconds(), run.machine(), run.method(),
                run.loadAverageBefore(), run.loadAverageAfter(), run.warmUpSeconds(), run.saturationSeconds(), run.rateSeconds(),
                run.bodySizes(), run.rates(), run.contenders(), startup, run.notes(), run.baseline());

        List<Targets.Row> ready = Targets.evaluate(withStartup).stream().filter(row -> row.target().contains("ready after start")).toList();

        assertThat(ready).extracting(Targets.Row::target).containsExactly(
                "mesh-node ready after start (JDK of the run)",
                "mesh-node ready after start on JDK 17 (jar)",
                "mesh-node ready after start on JDK 17 + AppCDS archive (extracted jar, as ./mesh up)",
                "mesh-node ready after start on JDK 25 (extracted jar)",
                "mesh-node ready after start on JDK 25 + AOT cache (extracted jar)",
                "gateway ready after start (JDK of the run)",
                "gateway ready after start on JDK 25 (extracted jar)");
        assertThat(ready.get(2).status()).isEqualTo(Targets.Status.MET);
        assertThat(ready.get(4).status()).isEqualTo(Targets.Status.NOT_MEASURED);
        assertThat(MarkdownReport.render(withStartup))
                .contains("| mesh-node | JDK 17 + AppCDS archive (extracted jar, as ./mesh up) | 1,800 ms | 88 | met |  |");
    }

    @Test
    void markdownShowsRatiosToDirectAndNginxAndTheFailureOfAContender() {
        String markdown = MarkdownReport.render(fixture());

        assertThat(markdown).contains("## Summary (1 KiB body)", "## Targets", "## Throughput at saturation, 1 KiB (closed loop)",
                "## Latency at 1,000 req/s, 1 KiB (open loop, from intended send time)",
                "## CPU per request per proxy process, 1 KiB", "## Memory and start-up");
        // hop 36,000 req/s: 0.36× direct's 100,000 and 0.90× nginx's 40,000
        assertThat(markdown).contains("| mesh-node-hop | 36,000 | 0.36× | 0.90× |");
        assertThat(markdown).contains("| mesh-node-hop | per-node average | 45.0 |");
        assertThat(markdown).contains("**did not start: port in use**");
        assertThat(markdown).contains("**The machine was busy**");
    }

    @Test
    void profilesGetTheirOwnSectionOnlyWhenTheRunProfiled() {
        RunFigures run = fixture();
        assertThat(MarkdownReport.render(run)).doesNotContain("Where the CPU goes");

        CpuProfile profile = new CpuProfile("node (inbound)", 20_000, 0.45, 0.015, 0.01, 0.03,
                List.of(new CpuProfile.FrameShare("writev", 0.36), new CpuProfile.FrameShare("recv", 0.05)),
                List.of(new CpuProfile.FrameShare("io.netty.buffer.PoolArena.allocate", 0.008),
                        new CpuProfile.FrameShare("a|b", 0.002)),
                "/runs/1/profiles/mesh-node/node-inbound.html");
        List<ContenderFigures> contenders = run.contenders().stream()
                .map(contender -> contender.id().equals("mesh-node") ? withProfiles(contender, List.of(profile)) : contender)
                .toList();
        RunFigures profiled = withContenders(run, contenders);

        String markdown = MarkdownReport.render(profiled);
        assertThat(markdown).contains("## Where the CPU goes (profiled, 1 KiB at saturation)",
                "| mesh-node | node (inbound) | 20,000 | 45.0% | writev 36.0%; recv 5.0% | 1.5% / 1.0% | 3.0% | "
                        + "io.netty.buffer.PoolArena.allocate 0.8%; a\\|b 0.2% | `/runs/1/profiles/mesh-node/node-inbound.html` |");
        assertThat(ReportJson.write(profiled)).contains("\"kernelShare\": 0.45", "\"frame\": \"writev\"");
    }

    @Test
    void jsonCarriesEveryFigureAndWritesUnmeasuredOnesAsNull() {
        String json = ReportJson.write(fixture());

        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) ReportJson.read(json);
        assertThat(parsed.get("mode")).isEqualTo("full");
        List<?> contenders = (List<?>) parsed.get("contenders");
        assertThat(contenders).hasSize(9);
        @SuppressWarnings("unchecked")
        Map<String, Object> broken = (Map<String, Object>) contenders.get(8);
        assertThat(broken.get("readyMillis")).isNull();
        assertThat(broken.get("failure")).isEqualTo("did not start: port in use");
        assertThat(json).contains("\"requestsPerSecond\": 36000");
        // the layout of the committed results: two-space indent, one member or element a line, whole figures without a fraction
        assertThat(json).startsWith("{\n  \"mode\": \"full\",\n  \"startedAt\": \"2026-01-01T00:00Z\",\n  \"totalSeconds\": 1800,\n")
                .contains("\"bodySizes\": [\n    1024\n  ],", "\"processes\": [],", "\"rssKb\": {}\n")
                .endsWith("\n}\n");
    }

    private static Map<String, Targets.Row> byTarget(List<Targets.Row> rows) {
        Map<String, Targets.Row> byTarget = new LinkedHashMap<>();
        rows.forEach(row -> byTarget.put(row.target(), row));
        return byTarget;
    }

    private static RunFigures withContenders(RunFigures run, List<ContenderFigures> contenders) {
        return new RunFigures(run.mode(), run.startedAt(), run.totalSeconds(), run.machine(), run.method(),
                run.loadAverageBefore(), run.loadAverageAfter(), run.warmUpSeconds(), run.saturationSeconds(), run.rateSeconds(),
                run.bodySizes(), run.rates(), contenders, run.startup(), run.notes(), run.baseline());
    }

    private static ContenderFigures withProfiles(ContenderFigures contender, List<CpuProfile> profiles) {
        return new ContenderFigures(contender.id(), contender.title(), contender.jvm(), contender.warmUpSeconds(),
                contender.readyMillis(), contender.processes(), contender.sizes(), profiles, contender.notes(), contender.failure());
    }

    /**
     * The same contender with a reference nginx measured alongside its saturation window ({@code before} and
     * {@code after} req/s over 10 s each, {@code expected} their combined rate) and, when given, direct windows
     * beside its fixed-rate one.
     */
    private static ContenderFigures withAlongside(ContenderFigures contender, double expected, double before, double after,
                                                  DirectAlongside direct) {
        SizeFigures size = contender.sizes().get(0);
        NginxAlongside nginx = new NginxAlongside(new WrkResult((long) (before * 10), 10, before, 0, 0, 250, 900),
                new WrkResult((long) (after * 10), 10, after, 0, 0, 250, 900));
        assertThat(nginx.requestsPerSecond()).isEqualTo(expected);
        List<RateFigures> rates = size.rates().stream()
                .map(rate -> new RateFigures(rate.load(), direct, rate.cpuMicrosPerRequest(), rate.rssKb())).toList();
        return new ContenderFigures(contender.id(), contender.title(), contender.jvm(), contender.warmUpSeconds(),
                contender.readyMillis(), contender.processes(),
                List.of(new SizeFigures(size.bodyBytes(), size.saturation(), nginx, size.saturationCpuMicrosPerRequest(), rates)),
                contender.profiles(), contender.notes(), contender.failure());
    }

    private static DirectAlongside directAlongside(double p50Before, double p50After, double p99Before, double p99After) {
        return new DirectAlongside(directWindow(p50Before, p99Before), directWindow(p50After, p99After));
    }

    private static OpenLoopResult directWindow(double p50, double p99) {
        LatencySummary latency = new LatencySummary(10_000, p50, p50 * 1.5, p99, p99 * 2, p99 * 3, p50 * 1.1);
        return new OpenLoopResult(1_000, 10, 10_000, 10_000, 0, latency, latency);
    }

    /** The same contender with other CPU figures in its fixed-rate window (the fixture's are its saturation ones). */
    private static ContenderFigures withRateCpu(ContenderFigures contender, Map<String, Double> cpu) {
        SizeFigures size = contender.sizes().get(0);
        List<RateFigures> rates = size.rates().stream().map(rate -> new RateFigures(rate.load(), rate.directAlongside(), cpu, rate.rssKb())).toList();
        return new ContenderFigures(contender.id(), contender.title(), contender.jvm(), contender.warmUpSeconds(),
                contender.readyMillis(), contender.processes(),
                List.of(new SizeFigures(size.bodyBytes(), size.saturation(), size.nginxAlongside(), size.saturationCpuMicrosPerRequest(),
                        rates)),
                contender.profiles(), contender.notes(), contender.failure());
    }

    static RunFigures fixture() {
        List<ContenderFigures> contenders = List.of(
                contender("direct", 100_000, 300, 1_000, List.of()),
                contender("nginx", 40_000, 350, 1_200, List.of(process("nginx", false, 20, 8_000))),
                contender("nginx-pair", 38_000, 380, 1_500, List.of(process("nginx A (caller side)", false, 20, 8_000),
                        process("nginx B (app side)", false, 20, 8_000))),
                contender("plain-scg", 7_000, 900, 4_000, List.of(process("plain gateway", false, 9_000, 300_000))),
                contender("gateway", 8_400, 1_000, 5_000, List.of(process("gateway", false, 10_000, 350_000))),
                contender("mesh-node", 34_000, 350, 1_800, List.of(process("node (inbound)", true, 2_300, 80 * 1024))),
                contender("mesh-node-hop", 36_000, 400, 2_500, List.of(process("node A (outbound)", true, 2_500, 90 * 1024),
                        process("node B (inbound)", true, 2_400, 100 * 1024))),
                contender("mesh-node-hop-policies", 33_000, 420, 2_560, List.of(process("node A (outbound)", true, 2_500, 90 * 1024),
                        process("node B (inbound)", true, 2_400, 90 * 1024))),
                new ContenderFigures("gateway-to-node", "full path", true, 0, Double.NaN, List.of(), List.of(), List.of(),
                        List.of(), "did not start: port in use"));
        return new RunFigures("full", "2026-01-01T00:00Z", 1800, Map.of("cores", "2"), Map.of("throughput", "wrk"),
                3.5, 2.0, 60, 20, 20, List.of(KIB), List.of(1_000), contenders, List.of(), List.of("a note"),
                Baseline.unavailable(null, "none asked for"));
    }

    private static ProcessFigures process(String label, boolean meshNode, double readyMillis, long rssKb) {
        return new ProcessFigures(label, 1, meshNode, readyMillis, rssKb, rssKb + 1024, rssKb);
    }

    private static ContenderFigures contender(String id, double rps, double p50, double p99, List<ProcessFigures> processes) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        double perProcess = 40;
        for (ProcessFigures process : processes) {
            cpu.put(process.label(), perProcess);
            perProcess += 10;
        }
        LatencySummary latency = new LatencySummary(20_000, p50, p50 * 1.5, p99, p99 * 2, p99 * 3, p50 * 1.1);
        OpenLoopResult load = new OpenLoopResult(1_000, 20, 20_000, 20_000, 0, latency, latency);
        SizeFigures size = new SizeFigures(KIB, new WrkResult((long) (rps * 20), 20, rps, 0, 0, 250, 900), null, cpu,
                List.of(new RateFigures(load, null, cpu, Map.of())));
        return new ContenderFigures(id, id + " title", !processes.isEmpty(), 60, 100, processes, List.of(size), List.of(), List.of(),
                null);
    }
}
