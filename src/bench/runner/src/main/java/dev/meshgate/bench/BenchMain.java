package dev.meshgate.bench;

import dev.meshgate.bench.contender.ClusterRegistrar;
import dev.meshgate.bench.contender.Contender;
import dev.meshgate.bench.contender.Deployment;
import dev.meshgate.bench.contender.DirectContender;
import dev.meshgate.bench.contender.EdgeToNodeContender;
import dev.meshgate.bench.contender.GatewayContender;
import dev.meshgate.bench.contender.HaproxyContender;
import dev.meshgate.bench.contender.MeshNodeContender;
import dev.meshgate.bench.contender.MeshNodeHopContender;
import dev.meshgate.bench.contender.NginxContender;
import dev.meshgate.bench.contender.PlainGatewayContender;
import dev.meshgate.bench.load.OpenLoopLoad;
import dev.meshgate.bench.load.Wrk;
import dev.meshgate.bench.proc.ProcFiles;
import dev.meshgate.bench.profile.AsyncProfiler;
import dev.meshgate.bench.report.Baseline;
import dev.meshgate.bench.report.ContenderFigures;
import dev.meshgate.bench.report.Format;
import dev.meshgate.bench.report.MarkdownReport;
import dev.meshgate.bench.report.ReportJson;
import dev.meshgate.bench.report.RunFigures;
import dev.meshgate.bench.report.StartupFigures;
import dev.meshgate.bench.report.Targets;
import dev.meshgate.launcher.Role;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code ./mesh bench}: builds what is stale, starts the shared upstream and registry, gives each
 * contender its turn, and writes the markdown report and the raw JSON beside it. Exits 0 when the
 * report was written, whatever the figures; 2 on bad arguments or missing tools.
 */
public final class BenchMain {

    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILED = 1;
    /**
     * Spawn to first answer, for every contender: generous, because plain Spring Cloud Gateway takes
     * minutes to bind a 10,000-route table on a busy machine (the report gives the figure).
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

    private BenchMain() {
    }

    public static void main(String[] args) {
        PrintStream log = System.out;
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.help()) {
            log.print(BenchOptions.USAGE);
            return;
        }
        Tools tools = Tools.locate();
        if (tools.missing().isPresent()) {
            System.err.println("bench: " + tools.missing().get());
            System.exit(EXIT_USAGE);
            return;
        }
        Path home = options.home() != null ? options.home().toAbsolutePath().normalize() : Jars.findHome(Path.of(""));
        if (home == null) {
            System.err.println("bench: run from inside the repository, or pass --home=<repository>");
            System.exit(EXIT_USAGE);
            return;
        }
        try {
            Path report = run(options, tools, home, log);
            log.println();
            log.println("report: " + report);
        } catch (BenchException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(EXIT_FAILED);
        }
    }

    static Path run(BenchOptions options, Tools tools, Path home, PrintStream log) {
        if (options.build()) {
            Jars.build(home, Jars.stale(home), log);
        }
        BenchPlan plan = options.quick() ? BenchPlan.quick() : BenchPlan.full();
        OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        long startedNanos = System.nanoTime();
        double loadBefore = Machine.loadAverage();
        Path outDir = options.out() != null ? options.out() : home.resolve("src/bench/results");
        // read now: this run's report replaces the default baseline when it is written
        Baseline baseline = baseline(options, outDir.resolve(reportName(plan.mode()) + ".json"), plan.primaryBodySize());
        log.println(baseline.available() ? "baseline: " + baseline.path() + " (started " + baseline.startedAt() + ")"
                : "no baseline: " + baseline.unavailable());
        Path runDir = home.resolve("src/bench/runner/target/bench-run")
                .resolve(started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        ProcFiles proc = ProcFiles.system();
        // before anything starts: a machine that cannot profile says so at once
        AsyncProfiler profiler = options.profile() ? AsyncProfiler.extractTo(runDir.resolve("profiles")) : null;
        Wrk wrk = new Wrk(tools.path("wrk"), 1, plan.saturationConnections());
        List<ContenderFigures> figures = new ArrayList<>();
        List<StartupFigures> startup = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String generatorTransport;
        try (StartedProcesses processes = new StartedProcesses(); OpenLoopLoad openLoop = new OpenLoopLoad()) {
            generatorTransport = openLoop.transport();
            List<Integer> ports = dev.meshgate.launcher.LoopbackPorts.free(3);
            int upstreamPort = ports.get(0);
            int registryPort = ports.get(1);
            int closedPort = ports.get(2);
            BenchContext context = new BenchContext(home, runDir, processes, options.java(), upstreamPort, registryPort,
                    closedPort, START_TIMEOUT);
            log.printf("mode %s; logs and configs in %s%n", plan.mode(), runDir);
            startShared(context, log);
            Deployment referenceNginx = startReferenceNginx(tools, context, notes, log);
            ReferenceWindows references = new ReferenceWindows(referenceNginx, new DirectContender().deploy(context), plan,
                    wrk, openLoop, log);
            ContenderMeasurement measurement = new ContenderMeasurement(context, plan, wrk, openLoop, proc, profiler,
                    references, log);
            List<Contender> selected = contenders(plan, tools).stream().filter(contender -> options.selected(contender.id())).toList();
            if (plan.startAllAtOnce()) {
                figures.addAll(measureStartedTogether(selected, context, measurement, () -> warmUpstream(context, plan, wrk, log)));
            } else {
                warmUpstream(context, plan, wrk, log);
                for (Contender contender : selected) {
                    figures.add(measurement.measure(contender));
                }
            }
            if (plan.startupComparison() && options.selected("startup")) {
                boolean jdk25 = Files.isExecutable(options.jdk25());
                if (!jdk25) {
                    notes.add("start-up on JDK 25 not measured: no java at " + options.jdk25() + " (pass --jdk25=<java>)");
                }
                startup.addAll(new StartupComparison(context, jdk25 ? options.jdk25() : null, wrk, proc).run(log));
            }
        }
        notes.add("mutual TLS between nodes is not implemented yet: the mTLS contenders (mesh-node hop and full path "
                + "with mTLS on) join the list once it is");
        RunFigures run = new RunFigures(plan.mode(), started.toString(), (System.nanoTime() - startedNanos) / 1e9,
                Machine.describe(options.java(), options.jdk25(), tools), method(plan, generatorTransport),
                loadBefore, Machine.loadAverage(), plan.warmUp().toSeconds(), plan.saturationMeasure().toSeconds(),
                plan.rateMeasure().toSeconds(), plan.bodySizes(), plan.rates(), figures, startup, notes, baseline);
        return write(run, outDir, home, log);
    }

    /** The run to compare with: {@code --baseline=<file>}, none after {@code --baseline=none}, else {@code defaultFile}. */
    static Baseline baseline(BenchOptions options, Path defaultFile, int bodyBytes) {
        if (!options.compareWithBaseline()) {
            return Baseline.unavailable(null, "none asked for (--baseline=none)");
        }
        Path file = options.baseline() != null ? options.baseline() : defaultFile;
        return Baseline.read(file.toAbsolutePath().normalize(), bodyBytes, BenchPlan.TARGET_RATE);
    }

    /** The report's file name without extension: latest for the full run, the mode's name otherwise. */
    static String reportName(String mode) {
        return mode.equals("full") ? "latest" : mode;
    }

    /**
     * Quick mode: every contender starts at once, and each is measured as soon as it is ready, in turn,
     * while the later ones may still be starting. Saves the JVMs' start-ups one after another and the
     * wait for the slowest; quick-mode figures are not about speed, so the load of a start beside a
     * window does not matter.
     */
    private static List<ContenderFigures> measureStartedTogether(List<Contender> contenders, BenchContext context,
                                                                 ContenderMeasurement measurement, Runnable beforeMeasuring) {
        ExecutorService starters = Executors.newFixedThreadPool(Math.max(1, contenders.size()));
        try {
            List<CompletableFuture<Deployment>> deployments = contenders.stream()
                    .map(contender -> CompletableFuture.supplyAsync(() -> contender.deploy(context), starters)).toList();
            beforeMeasuring.run();
            List<ContenderFigures> figures = new ArrayList<>();
            for (int i = 0; i < contenders.size(); i++) {
                // join waits for this one's start; a failed start is reported by measure
                figures.add(measurement.measure(contenders.get(i), deployments.get(i)::join, false));
            }
            return figures;
        } finally {
            starters.shutdownNow();
        }
    }

    static List<Contender> contenders(BenchPlan plan, Tools tools) {
        List<String> jvm = List.of();
        List<Contender> contenders = new ArrayList<>(List.of(
                new DirectContender(),
                NginxContender.single(tools.path("nginx")),
                NginxContender.pair(tools.path("nginx")),
                new HaproxyContender(tools.path("haproxy")),
                new PlainGatewayContender(1, jvm),
                new GatewayContender(1, jvm),
                new MeshNodeContender(jvm),
                new MeshNodeHopContender(0, jvm, new ClusterRegistrar()),
                MeshNodeHopContender.withPolicies(jvm),
                new EdgeToNodeContender(jvm)));
        if (plan.largeTables()) {
            // last: the clusters stay registered until the registry stops
            contenders.add(new PlainGatewayContender(plan.largeTableSize(), jvm));
            contenders.add(new GatewayContender(plan.largeTableSize(), jvm));
            contenders.add(new MeshNodeHopContender(plan.largeTableSize(), jvm, new ClusterRegistrar()));
        }
        return contenders;
    }

    private static void startShared(BenchContext context, PrintStream log) {
        BenchProcess upstream = context.startSharedJvm("upstream", Role.SAMPLES, List.of(),
                context.jar("src/samples/target/samples.jar"),
                List.of("--workload=name=bench-upstream,instance=bench-upstream-1,host=127.0.0.1,port=" + context.upstreamPort()
                        + ",outbound=" + context.closedConfigServerUrl()));
        int registryPort = context.registryPort();
        BenchProcess registry = context.startSharedJvm("registry", Role.REGISTRY, List.of(),
                context.jar("registry/target/registry.jar"),
                List.of("--server.address=127.0.0.1", "--server.port=" + registryPort));
        Duration upstreamReady = upstream.awaitReady("the upstream's /bytes",
                () -> RawHttp.get(context.upstreamPort(), "127.0.0.1", "/bytes?size=1024", 1000), context.startTimeout());
        Duration registryReady = registry.awaitReady("the registry's health",
                () -> RawHttp.get(registryPort, "127.0.0.1", "/actuator/health", 1000), context.startTimeout());
        log.printf("upstream ready in %d ms, registry in %d ms%n", upstreamReady.toMillis(), registryReady.toMillis());
    }

    /**
     * The reference nginx, kept for the whole run; null, with a note, when it does not start (the
     * saturation windows then go unbracketed and ratios compare plain figures).
     */
    private static Deployment startReferenceNginx(Tools tools, BenchContext context, List<String> notes, PrintStream log) {
        try {
            Deployment reference = NginxContender.reference(tools.path("nginx")).deploy(context);
            reference.processes().forEach(process -> context.processes().keep(process.process()));
            log.printf("reference nginx ready in %d ms%n", reference.readyTime().toMillis());
            return reference;
        } catch (RuntimeException e) {
            context.processes().stopAllExceptShared();
            notes.add("the reference nginx did not start (" + e.getMessage() + "): ratios compare the contenders' own "
                    + "figures, measured minutes apart");
            log.printf("reference nginx did not start: %s%n", e.getMessage());
            return null;
        }
    }

    /** The upstream is a JVM too: every contender must meet a compiled upstream, direct included. */
    private static void warmUpstream(BenchContext context, BenchPlan plan, Wrk wrk, PrintStream log) {
        log.printf("warming up the upstream %d s%n", plan.warmUp().toSeconds());
        Duration each = plan.warmUp().dividedBy(plan.bodySizes().size());
        for (int size : plan.bodySizes()) {
            wrk.run(context.upstreamUrl() + "/bytes?size=" + size, "127.0.0.1", each);
        }
    }

    static Map<String, String> method(BenchPlan plan, String generatorTransport) {
        Map<String, String> method = new java.util.LinkedHashMap<>();
        method.put("upstream", "the samples workload (Reactor Netty) answering GET /bytes?size=N with a preallocated body, "
                + "one JVM, shared by every contender");
        method.put("throughput", "closed loop: wrk -t1 -c" + plan.saturationConnections() + ", " + plan.saturationMeasure().toSeconds()
                + " s per contender and body size, bracketed by a reference nginx (the nginx contender's config, kept running "
                + "all run) at saturation for half as long right before and right after; every throughput ratio is taken "
                + "through these references (each contender's req/s divided by its reference's first), so the machine's "
                + "drift over the run, which moves both alike, cancels");
        method.put("latency", "open loop at " + plan.rates() + " req/s, " + plan.rateMeasure().toSeconds() + " s each after a "
                + plan.rateLeadIn().toMillis() + " ms unrecorded lead-in, over " + plan.openLoopConnections()
                + " keep-alive connections; each request is due at a fixed time and its latency is measured from that time "
                + "(HdrHistogram), so a stall counts for every request queued behind it (no coordinated omission). "
                + "A generator in the suite (Netty, " + generatorTransport + " timers) rather than h2load, whose rate mode "
                + "paces connections, not requests, and times from the actual send; wrk2 is not packaged in Debian. "
                + "The " + Format.rate(BenchPlan.TARGET_RATE) + " req/s window at " + plan.primaryBodySize() / BenchPlan.KIB
                + " KiB is bracketed by the upstream without a proxy at the same rate, half as long, right before and right "
                + "after: added latency is the contender's percentile minus the mean of these two");
        method.put("warm-up", "every JVM contender (and the upstream) gets " + plan.warmUp().toSeconds()
                + " s of closed-loop load across the body sizes before its first window");
        method.put("CPU", "utime + stime of each proxy process (and its children) from /proc/<pid>/stat around each window, "
                + "divided by the requests answered in it");
        method.put("memory", "VmRSS (after the measured windows, before any profile, and during the 1,000 req/s window) "
                + "and VmHWM (peak) from /proc/<pid>/status");
        method.put("ready", "from process spawn to the first 200: a mesh-node's /actuator/health/readiness, a proxy's first "
                + "request through to the upstream; a multi-process path's end-to-end time is the summary's 'ready'");
        method.put("JVM settings", "each component with the heap cap and collector ./mesh up gives its role; Netty leak "
                + "detection off (" + BenchContext.NO_LEAK_DETECTION + ") as in production; the config server is "
                + "unreachable, so the gateway and nodes run on their built-in defaults (tracing, metrics, access to the registry on)");
        return method;
    }

    private static Path write(RunFigures run, Path outDir, Path home, PrintStream log) {
        String base = reportName(run.mode());
        try {
            Files.createDirectories(outDir);
            Path markdown = outDir.resolve(base + ".md");
            Path json = outDir.resolve(base + ".json");
            writeAtomically(json, relativeToHome(ReportJson.write(run), home));
            writeAtomically(markdown, relativeToHome(MarkdownReport.render(run), home));
            log.println();
            Targets.evaluate(run).forEach(row -> log.printf("target %-75s %-8s %-12s %s%n", row.target(), row.bound(),
                    row.measured(), row.status().text()));
            return markdown;
        } catch (IOException e) {
            throw new BenchException("cannot write the report to " + outDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Paths inside the checkout (jars, logs, configs of the run) are written relative to it: the
     * committed report reads the same on every clone.
     */
    static String relativeToHome(String report, Path home) {
        String root = home.toAbsolutePath().normalize().toString();
        return report.replace(root + "/", "").replace(root, ".");
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
