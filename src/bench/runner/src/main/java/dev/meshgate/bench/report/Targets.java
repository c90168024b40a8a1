package dev.meshgate.bench.report;

import dev.meshgate.bench.BenchPlan;
import dev.meshgate.bench.load.LatencySummary;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * The targets, evaluated against a run and printed beside the figures. Never asserted: a
 * missed target is a finding, not a failure of the suite.
 */
public final class Targets {

    public static final String HOP = "mesh-node-hop";
    /** The hop with the fault-tolerance policies on at the caller's node. */
    public static final String HOP_POLICIES = "mesh-node-hop-policies";
    /** One node as a reverse proxy: the like-for-like peer of nginx, HAProxy and the plain gateway. */
    public static final String NODE = "mesh-node";
    public static final String GATEWAY = "gateway";
    public static final String PLAIN = "plain-scg";
    public static final String NGINX = "nginx";
    /** Two nginx in series: a hop's topology with nginx in both sidecar places. */
    public static final String NGINX_PAIR = "nginx-pair";
    public static final String HAPROXY = "haproxy";
    public static final String DIRECT = "direct";
    /** The component name of a node in the start-up comparison. */
    public static final String MESH_NODE = "mesh-node";

    /** One target: what it is about, the bound, the measured value and whether it was met. */
    public record Row(String target, String bound, String measured, Status status) {
    }

    public enum Status {
        MET("met"), MISSED("missed"), NOT_MEASURED("not measured"),
        /** A figure shown beside a target for reading it, with no bound of its own. */
        FOR_COMPARISON("for comparison");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private Targets() {
    }

    public static List<Row> evaluate(RunFigures run) {
        int size = run.bodySizes().get(0);
        int rate = BenchPlan.TARGET_RATE;
        List<Row> rows = new ArrayList<>();
        ContenderFigures direct = run.contender(DIRECT);
        double hopP50 = PairedFigures.addedLatency(run.contender(HOP), direct, size, rate, LatencySummary::p50Micros);
        double hopP99 = PairedFigures.addedLatency(run.contender(HOP), direct, size, rate, LatencySummary::p99Micros);
        rows.add(row("mesh-node hop: added latency p50 at 1,000 req/s", "≤ 150 µs", hopP50, Format.micros(hopP50),
                value -> value <= 150));
        rows.add(row("mesh-node hop: added latency p99 at 1,000 req/s", "≤ 1 ms", hopP99, Format.micros(hopP99),
                value -> value <= 1000));
        rows.add(addedLatencyOfNginxPair(run, size, rate));
        ContenderFigures withPolicies = run.contender(HOP_POLICIES);
        double policiesVsHop = PairedFigures.throughputRatio(withPolicies, run.contender(HOP), size);
        rows.add(row("mesh-node hop with policies on: throughput vs the bare hop", "≥ 0.9×", policiesVsHop,
                Format.ratio(policiesVsHop), value -> value >= 0.9));
        double policiesP99 = PairedFigures.addedLatency(withPolicies, direct, size, rate, LatencySummary::p99Micros) - hopP99;
        rows.add(row("mesh-node hop with policies on: p99 at 1,000 req/s beyond the bare hop's", "≤ 100 µs", policiesP99,
                Format.micros(policiesP99), value -> value <= 100));
        ContenderFigures hop = run.contender(HOP);
        double cpuPerNode = Double.NaN;
        if (hop != null && hop.atSize(size) != null) {
            cpuPerNode = ContenderFigures.perNodeAverage(hop.processes(), hop.atSize(size).saturationCpuMicrosPerRequest());
        }
        rows.add(row("CPU per request per mesh-node (saturation)", "≤ 50 µs", cpuPerNode,
                Format.decimal(cpuPerNode) + " µs", value -> value <= 50));
        rows.add(cpuAtRateBesideProxies(run, size, rate));
        ContenderFigures nginx = run.contender(NGINX);
        ContenderFigures plain = run.contender(PLAIN);
        double hopVsNginx = PairedFigures.throughputRatio(hop, nginx, size);
        rows.add(row("mesh-node hop throughput vs nginx", "≥ 0.8×", hopVsNginx, Format.ratio(hopVsNginx), value -> value >= 0.8));
        // the same two-proxy path with nginx in both places: what the bound means for a pair
        double hopVsPair = PairedFigures.throughputRatio(hop, run.contender(NGINX_PAIR), size);
        rows.add(row("mesh-node hop throughput vs an nginx pair (nginx → nginx → app, the same path)", "≥ 0.8×",
                hopVsPair, Format.ratio(hopVsPair), value -> value >= 0.8));
        double hopVsPlain = PairedFigures.throughputRatio(hop, plain, size);
        rows.add(row("mesh-node hop throughput vs plain Spring Cloud Gateway", "≥ 4×", hopVsPlain,
                Format.ratio(hopVsPlain), value -> value >= 4));
        // The targets name "mesh-node throughput"; a hop is two proxies against nginx's one, so both
        // readings are printed against the same bounds.
        ContenderFigures oneNode = run.contender(NODE);
        double nodeVsNginx = PairedFigures.throughputRatio(oneNode, nginx, size);
        rows.add(row("one mesh-node (a single proxy, as nginx) throughput vs nginx", "≥ 0.8×", nodeVsNginx,
                Format.ratio(nodeVsNginx), value -> value >= 0.8));
        double nodeVsPlain = PairedFigures.throughputRatio(oneNode, plain, size);
        rows.add(row("one mesh-node (a single proxy) throughput vs plain Spring Cloud Gateway", "≥ 4×", nodeVsPlain,
                Format.ratio(nodeVsPlain), value -> value >= 4));
        double gatewayVsPlain = PairedFigures.throughputRatio(run.contender(GATEWAY), plain, size);
        rows.add(row("our gateway (policies on) throughput vs plain Spring Cloud Gateway", "≥ 1.5×", gatewayVsPlain,
                Format.ratio(gatewayVsPlain), value -> value >= 1.5));
        double nodeRss = Double.NaN;
        double nodeReady = Double.NaN;
        if (hop != null) {
            nodeRss = hop.processes().stream().filter(ProcessFigures::meshNode).mapToLong(ProcessFigures::rssAtTargetRateKb)
                    .filter(kb -> kb > 0).max().orElse(-1);
            nodeRss = nodeRss > 0 ? nodeRss / 1024.0 : Double.NaN;
            nodeReady = hop.processes().stream().filter(ProcessFigures::meshNode).mapToDouble(ProcessFigures::readyMillis)
                    .max().orElse(Double.NaN);
        }
        // a node starting on its own, as a sidecar does beside its app: the hop's two start side by side
        // and share the cores, so theirs is only the fallback
        ContenderFigures node = run.contender(NODE);
        if (node != null) {
            nodeReady = node.processes().stream().filter(ProcessFigures::meshNode).mapToDouble(ProcessFigures::readyMillis)
                    .max().orElse(nodeReady);
        }
        rows.add(row("mesh-node RSS under 1,000 req/s (largest node)", "≤ 96 MB", nodeRss, Format.decimal(nodeRss) + " MB",
                value -> value <= 96));
        rows.add(row("mesh-node ready after start (JDK of the run)", "≤ 2 s", nodeReady, Format.millis(nodeReady),
                value -> value <= 2000));
        // the start-up comparison's node figures (the run's JDK plain and with the class archive ./mesh up
        // records, JDK 25) right after the main run's, so that a node's start-up reads in one place
        run.startup().stream().filter(startup -> startup.component().equals(MESH_NODE)).forEach(startup -> rows.add(ready(startup)));
        ContenderFigures gateway = run.contender(GATEWAY);
        double gatewayReady = gateway == null || gateway.processes().isEmpty() ? Double.NaN
                : gateway.processes().get(0).readyMillis();
        rows.add(row("gateway ready after start (JDK of the run)", "≤ 2 s", gatewayReady, Format.millis(gatewayReady),
                value -> value <= 2000));
        run.startup().stream().filter(startup -> !startup.component().equals(MESH_NODE)).forEach(startup -> rows.add(ready(startup)));
        return rows;
    }

    /**
     * What two nginx in series add at the same rate: the machine's share of a hop's added latency (its
     * wake-ups and loopback legs), which any pair of proxies pays; no bound of its own.
     */
    static Row addedLatencyOfNginxPair(RunFigures run, int size, int rate) {
        String target = "added latency of an nginx pair at " + Format.rate(rate) + " req/s (p50 / p99), beside the hop's";
        ContenderFigures pair = run.contender(NGINX_PAIR);
        ContenderFigures direct = run.contender(DIRECT);
        double p50 = PairedFigures.addedLatency(pair, direct, size, rate, LatencySummary::p50Micros);
        double p99 = PairedFigures.addedLatency(pair, direct, size, rate, LatencySummary::p99Micros);
        if (Double.isNaN(p50) || Double.isNaN(p99)) {
            return new Row(target, "none", "-", Status.NOT_MEASURED);
        }
        return new Row(target, "none", Format.micros(p50) + " / " + Format.micros(p99), Status.FOR_COMPARISON);
    }

    private static Row ready(StartupFigures startup) {
        return row(startup.component() + " ready after start on " + startup.jvm(), "≤ 2 s", startup.readyMillis(),
                Format.millis(startup.readyMillis()), value -> value <= 2000);
    }

    /**
     * A node's CPU per request at a fixed rate, as a multiple of nginx's and HAProxy's at the same rate.
     * Far below saturation every request pays its own wake-ups instead of sharing them with a batch, so
     * the figure is several times the saturation one for every proxy: it has no bound of its own, and
     * the proxies beside it show how much of it any proxy pays at that rate.
     */
    static Row cpuAtRateBesideProxies(RunFigures run, int size, int rate) {
        String target = "CPU per request per mesh-node at " + Format.rate(rate) + " req/s (every request pays its own wake-ups)";
        String bound = "none: × nginx, HAProxy at the same rate";
        double node = cpuAtRate(run, HOP, size, rate);
        if (Double.isNaN(node)) {
            return new Row(target, bound, "-", Status.NOT_MEASURED);
        }
        String measured = Format.decimal(node) + " µs = " + timesProxy(node, "nginx", cpuAtRate(run, NGINX, size, rate))
                + ", " + timesProxy(node, "HAProxy", cpuAtRate(run, HAPROXY, size, rate));
        return new Row(target, bound, measured, Status.FOR_COMPARISON);
    }

    private static String timesProxy(double node, String proxy, double proxyMicros) {
        return Double.isNaN(proxyMicros) ? proxy + " not measured"
                : Format.ratio(node / proxyMicros) + " " + proxy + " (" + Format.decimal(proxyMicros) + " µs)";
    }

    /** CPU per request at a fixed rate: a contender's mesh-node average, or its processes' average when it has no node. */
    static double cpuAtRate(RunFigures run, String id, int size, int rate) {
        ContenderFigures contender = run.contender(id);
        if (contender == null || contender.atSize(size) == null || contender.atSize(size).atRate(rate) == null) {
            return Double.NaN;
        }
        return ContenderFigures.perNodeAverage(contender.processes(), contender.atSize(size).atRate(rate).cpuMicrosPerRequest());
    }

    private static Row row(String target, String bound, double value, String measured, DoublePredicate met) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return new Row(target, bound, "-", Status.NOT_MEASURED);
        }
        return new Row(target, bound, measured, met.test(value) ? Status.MET : Status.MISSED);
    }
}
