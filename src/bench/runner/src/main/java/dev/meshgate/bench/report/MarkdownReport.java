package dev.meshgate.bench.report;

import dev.meshgate.bench.BenchPlan;
import dev.meshgate.bench.load.LatencySummary;
import dev.meshgate.bench.profile.CpuProfile;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Renders a run as the markdown report: summary and targets first, then every table behind them. */
public final class MarkdownReport {

    private final RunFigures run;
    private final StringBuilder md = new StringBuilder();

    private MarkdownReport(RunFigures run) {
        this.run = run;
    }

    public static String render(RunFigures run) {
        return new MarkdownReport(run).build();
    }

    private String build() {
        int primary = run.bodySizes().get(0);
        line("# Per-hop cost: gateway and mesh-node against the proxies a user would otherwise pick");
        line("");
        line("Mode **" + run.mode() + "**, started " + run.startedAt() + ", took " + Math.round(run.totalSeconds()) + " s. "
                + "Every contender ran on this machine in this run, one at a time, in front of the same upstream. "
                + "Targets are printed beside the figures and never asserted.");
        if ("quick".equals(run.mode())) {
            line("");
            line("> Quick mode checks that the suite works end to end: warm-ups and windows are far too short for the "
                    + "figures to mean anything about speed.");
        }
        loadWarning();
        section("Machine and method");
        table(List.of("", ""), run.machine().entrySet().stream().map(entry -> List.of(entry.getKey(), entry.getValue())).toList());
        line("");
        table(List.of("method", ""), run.method().entrySet().stream().map(entry -> List.of(entry.getKey(), entry.getValue())).toList());

        section("Summary (" + bytes(primary) + " body)");
        summary(primary);
        section("Targets");
        table(List.of("target", "bound", "measured", "status"), Targets.evaluate(run).stream()
                .map(row -> List.of(row.target(), row.bound(), row.measured(), row.status().text())).toList());
        line("");
        line("Ratios of throughput go through the reference nginx measured alongside each contender (see throughput "
                + "under method), and added latency is the contender's percentile minus the direct windows' measured "
                + "alongside it, so the machine's drift over the run cancels; a hop is the node pair "
                + "(outbound → inbound). CPU per node is the average of the pair. A node's ready time in the JDK of the run "
                + "is the single node's (one JVM starting alone), not the hop's, whose two nodes start side by side on the "
                + "same cores. The CPU target is stated at saturation, "
                + "where a busy event loop serves many requests per wake-up; at a fixed rate far below saturation each "
                + "request pays its own wake-ups (and a share of the background work), whichever proxy serves it, so the "
                + "fixed-rate CPU row has no bound and is read as a multiple of nginx's and HAProxy's at the same rate. "
                + "Each such wake-up of an idle core is the machine's cost as much as the proxy's: where idle cores halt at "
                + "once (CPU idle, above), every process a request passes adds one or two of them to its latency, so a hop "
                + "(two proxies) pays twice what one proxy does; compare latency across machines only with the same idle "
                + "settings.");
        section("Against the baseline run");
        baseline(primary);

        for (int size : run.bodySizes()) {
            section("Throughput at saturation, " + bytes(size) + " (closed loop)");
            saturation(size);
            for (int rate : run.rates()) {
                if (run.contenders().stream().noneMatch(contender -> latency(contender, size, rate) != null)) {
                    continue;
                }
                section("Latency at " + Format.rate(rate) + " req/s, " + bytes(size) + " (open loop, from intended send time)");
                latency(size, rate);
            }
            section("CPU per request per proxy process, " + bytes(size));
            cpu(size);
        }
        section("Memory and start-up");
        memory();
        startup();
        largeTables(primary);
        profiles(primary);
        notes();
        return md.toString();
    }

    private void loadWarning() {
        String cores = run.machine().getOrDefault("cores", "?");
        double coreCount = parse(cores);
        line("");
        String loads = String.format("Load average (1 min) before the run %.2f, after %.2f on %s cores.",
                run.loadAverageBefore(), run.loadAverageAfter(), cores);
        if (!Double.isNaN(coreCount) && Math.max(run.loadAverageBefore(), run.loadAverageAfter()) > coreCount * 0.5) {
            line("> **The machine was busy** (other builds and tests share its cores): " + loads
                    + " Absolute figures are lower and noisier than on a quiet machine; ratios within this run are "
                    + "the more reliable reading.");
        } else {
            line(loads);
        }
    }

    private void summary(int size) {
        ContenderFigures direct = run.contender(Targets.DIRECT);
        ContenderFigures nginx = run.contender(Targets.NGINX);
        int rate = run.rates().contains(BenchPlan.TARGET_RATE) ? BenchPlan.TARGET_RATE : run.rates().get(0);
        table(List.of("contender", "req/s", "× direct", "× nginx", "p50 @" + rate, "p99 @" + rate, "added p50", "added p99",
                        "CPU µs/req per process (sat.)", "RSS MB steady / peak", "ready"),
                run.contenders().stream().map(contender -> {
                    double rps = rps(contender, size);
                    LatencySummary latency = latency(contender, size, rate);
                    return List.of(name(contender), Format.rate(rps),
                            Format.ratio(PairedFigures.throughputRatio(contender, direct, size)),
                            Format.ratio(PairedFigures.throughputRatio(contender, nginx, size)),
                            Format.micros(latency == null ? Double.NaN : latency.p50Micros()),
                            Format.micros(latency == null ? Double.NaN : latency.p99Micros()),
                            Format.micros(PairedFigures.addedLatency(contender, direct, size, rate, LatencySummary::p50Micros)),
                            Format.micros(PairedFigures.addedLatency(contender, direct, size, rate, LatencySummary::p99Micros)),
                            cpuList(contender, contender.atSize(size) == null ? Map.of()
                                    : contender.atSize(size).saturationCpuMicrosPerRequest()),
                            memoryList(contender), Format.millis(contender.readyMillis()));
                }).toList());
    }

    private void baseline(int size) {
        Baseline baseline = run.baseline();
        if (baseline == null || !baseline.available()) {
            line("No baseline run: " + (baseline == null ? "none given" : baseline.unavailable()) + ".");
            return;
        }
        int rate = run.rates().contains(BenchPlan.TARGET_RATE) ? BenchPlan.TARGET_RATE : run.rates().get(0);
        StringBuilder taken = new StringBuilder("Baseline: `" + baseline.path() + "`");
        taken.append(" (").append(baseline.mode() == null ? "mode unknown" : "mode " + baseline.mode());
        taken.append(baseline.startedAt() == null ? ", start time unknown" : ", started " + baseline.startedAt());
        if (!Double.isNaN(baseline.loadAverageBefore())) {
            taken.append(String.format(java.util.Locale.ROOT, "; load average (1 min) before it %.2f, after %.2f",
                    baseline.loadAverageBefore(), baseline.loadAverageAfter()));
        }
        line(taken.append(").").toString());
        if (baseline.mode() != null && !baseline.mode().equals(run.mode())) {
            line("");
            line("> The baseline ran in " + baseline.mode() + " mode and this run in " + run.mode() + " mode: quick-mode "
                    + "windows are too short for a change between them to say anything about speed.");
        }
        line("");
        line("Machines and load differ between runs, so the change in the ratio to nginx (each ratio taken within its own "
                + "run) is the fairer reading; the absolute change moves with the machine as much as with the code.");
        line("");
        ComparedFigures nginxNow = run.contender(Targets.NGINX) == null ? null
                : ComparedFigures.of(run.contender(Targets.NGINX), size, rate);
        ComparedFigures nginxBefore = baseline.contender(Targets.NGINX);
        List<List<String>> rows = new java.util.ArrayList<>();
        for (ContenderFigures contender : run.contenders()) {
            ComparedFigures before = baseline.contender(contender.id());
            if (before == null) {
                continue;
            }
            ComparedFigures now = ComparedFigures.of(contender, size, rate);
            compare(rows, now.id(), "req/s, " + bytes(size), before, now, nginxBefore, nginxNow,
                    ComparedFigures::requestsPerSecond, Format::rate);
            compare(rows, now.id(), "p50 @" + Format.rate(rate) + " req/s", before, now, nginxBefore, nginxNow,
                    ComparedFigures::p50Micros, Format::micros);
            compare(rows, now.id(), "p99 @" + Format.rate(rate) + " req/s", before, now, nginxBefore, nginxNow,
                    ComparedFigures::p99Micros, Format::micros);
            for (String process : now.saturationCpuMicrosPerRequest().keySet()) {
                compare(rows, now.id(), "CPU µs/req (sat.), " + process, before, now, nginxBefore, nginxNow,
                        figures -> figures.saturationCpuMicrosPerRequest().getOrDefault(process, Double.NaN),
                        nginx -> average(nginx.saturationCpuMicrosPerRequest().values()), Format::decimal);
            }
            for (String process : now.steadyRssKb().keySet()) {
                compare(rows, now.id(), "RSS steady MB, " + process, before, now, nginxBefore, nginxNow,
                        figures -> kilobytes(figures.steadyRssKb().get(process)),
                        nginx -> nginx.steadyRssKb().values().stream().mapToDouble(MarkdownReport::kilobytes).sum(),
                        kb -> Format.megabytes((long) kb));
            }
            if (!now.steadyRssKb().isEmpty()) {
                compare(rows, now.id(), "ready", before, now, nginxBefore, nginxNow, ComparedFigures::readyMillis, Format::millis);
            }
        }
        if (rows.isEmpty()) {
            line("No contender was measured in both runs.");
            return;
        }
        table(List.of("contender", "figure", "baseline", "now", "change", "baseline × nginx", "now × nginx", "change × nginx"),
                rows);
    }

    private static void compare(List<List<String>> rows, String id, String figure, ComparedFigures before, ComparedFigures now,
                                ComparedFigures nginxBefore, ComparedFigures nginxNow, ToDoubleFunction<ComparedFigures> value,
                                java.util.function.DoubleFunction<String> format) {
        compare(rows, id, figure, before, now, nginxBefore, nginxNow, value, value, format);
    }

    /** One row: a figure before and now, absolute and as a multiple of nginx's; nothing when neither run has it. */
    private static void compare(List<List<String>> rows, String id, String figure, ComparedFigures before, ComparedFigures now,
                                ComparedFigures nginxBefore, ComparedFigures nginxNow, ToDoubleFunction<ComparedFigures> value,
                                ToDoubleFunction<ComparedFigures> nginxValue, java.util.function.DoubleFunction<String> format) {
        double then = value.applyAsDouble(before);
        double current = value.applyAsDouble(now);
        if (Double.isNaN(then) && Double.isNaN(current)) {
            return;
        }
        double ratioThen = nginxBefore == null ? Double.NaN : then / nginxValue.applyAsDouble(nginxBefore);
        double ratioNow = nginxNow == null ? Double.NaN : current / nginxValue.applyAsDouble(nginxNow);
        rows.add(List.of(id, figure, format.apply(then), format.apply(current), Format.change(then, current),
                Format.ratio(ratioThen), Format.ratio(ratioNow), Format.change(ratioThen, ratioNow)));
    }

    private static double kilobytes(Long kb) {
        return kb == null || kb <= 0 ? Double.NaN : kb;
    }

    private static double average(java.util.Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private void saturation(int size) {
        ContenderFigures direct = run.contender(Targets.DIRECT);
        ContenderFigures nginx = run.contender(Targets.NGINX);
        table(List.of("contender", "req/s", "reference nginx alongside", "× direct", "× nginx", "requests", "failed",
                        "wrk p50", "wrk p99"),
                run.contenders().stream().filter(contender -> contender.atSize(size) != null).map(contender -> {
                    var wrk = contender.atSize(size).saturation();
                    NginxAlongside alongside = contender.atSize(size).nginxAlongside();
                    return List.of(name(contender), Format.rate(wrk.requestsPerSecond()),
                            alongside == null ? "-" : Format.rate(alongside.requestsPerSecond()),
                            Format.ratio(PairedFigures.throughputRatio(contender, direct, size)),
                            Format.ratio(PairedFigures.throughputRatio(contender, nginx, size)),
                            Long.toString(wrk.requests()), Long.toString(wrk.failures()),
                            Format.micros(wrk.p50Micros()), Format.micros(wrk.p99Micros()));
                }).toList());
    }

    private void latency(int size, int rate) {
        LatencySummary direct = latency(run.contender(Targets.DIRECT), size, rate);
        LatencySummary nginx = latency(run.contender(Targets.NGINX), size, rate);
        table(List.of("contender", "p50", "p90", "p99", "p99.9", "max", "p50 × direct", "p99 × direct", "p50 × nginx",
                        "p99 × nginx", "achieved req/s", "failed", "p99 from actual send"),
                run.contenders().stream().filter(contender -> latency(contender, size, rate) != null).map(contender -> {
                    var figures = contender.atSize(size).atRate(rate).load();
                    LatencySummary latency = figures.responseTime();
                    return List.of(name(contender), Format.micros(latency.p50Micros()), Format.micros(latency.p90Micros()),
                            Format.micros(latency.p99Micros()), Format.micros(latency.p999Micros()),
                            Format.micros(latency.maxMicros()),
                            ratio(latency, direct, LatencySummary::p50Micros), ratio(latency, direct, LatencySummary::p99Micros),
                            ratio(latency, nginx, LatencySummary::p50Micros), ratio(latency, nginx, LatencySummary::p99Micros),
                            Format.rate(figures.achievedRate()), Long.toString(figures.failed()),
                            Format.micros(figures.serviceTime().p99Micros()));
                }).toList());
    }

    private void cpu(int size) {
        List<String> header = new java.util.ArrayList<>(List.of("contender", "process", "saturation"));
        run.rates().forEach(rate -> header.add("@" + Format.rate(rate) + " req/s"));
        List<List<String>> rows = new java.util.ArrayList<>();
        for (ContenderFigures contender : run.contenders()) {
            SizeFigures figures = contender.atSize(size);
            if (figures == null || contender.processes().isEmpty()) {
                continue;
            }
            for (ProcessFigures process : contender.processes()) {
                List<String> row = new java.util.ArrayList<>(List.of(name(contender), process.label(),
                        Format.decimal(figures.saturationCpuMicrosPerRequest().getOrDefault(process.label(), Double.NaN))));
                run.rates().forEach(rate -> row.add(figures.atRate(rate) == null ? "-"
                        : Format.decimal(figures.atRate(rate).cpuMicrosPerRequest().getOrDefault(process.label(), Double.NaN))));
                rows.add(row);
            }
            if (contender.processes().stream().filter(ProcessFigures::meshNode).count() > 1) {
                List<String> row = new java.util.ArrayList<>(List.of(name(contender), "per-node average",
                        Format.decimal(ContenderFigures.perNodeAverage(contender.processes(), figures.saturationCpuMicrosPerRequest()))));
                run.rates().forEach(rate -> row.add(figures.atRate(rate) == null ? "-"
                        : Format.decimal(ContenderFigures.perNodeAverage(contender.processes(), figures.atRate(rate).cpuMicrosPerRequest()))));
                rows.add(row);
            }
        }
        table(header, rows);
        line("");
        line("µs of CPU (user + system, from /proc/<pid>/stat) used by the process during the window, divided by the "
                + "requests answered in it; nginx counts master and worker. At a fixed rate far below saturation each "
                + "request pays its own wake-ups (event-loop polls, timers, hand-offs) instead of sharing them with a "
                + "batch, and the background work (timers, registry refresh, GC) is spread over fewer requests: every "
                + "proxy's figure rises, nginx's and HAProxy's too. Compare a fixed-rate column across contenders, "
                + "not with the saturation column or its target.");
    }

    private void memory() {
        table(List.of("contender", "process", "ready after spawn", "RSS at 1,000 req/s (MB)", "RSS steady (MB)", "RSS peak (MB)"),
                run.contenders().stream().flatMap(contender -> contender.processes().stream().map(process -> List.of(
                        name(contender), process.label(), Format.millis(process.readyMillis()),
                        Format.megabytes(process.rssAtTargetRateKb()), Format.megabytes(process.steadyRssKb()),
                        Format.megabytes(process.peakRssKb())))).toList());
        line("");
        line("Ready: from process spawn to its first 200 (a mesh-node's readiness endpoint; a proxy's first request "
                + "through to the upstream). Steady RSS is read after the last window (VmRSS), peak is VmHWM.");
    }

    private void startup() {
        section("Start-up: the JDK of the run plain and with the class archive ./mesh up uses; JDK 25 with and without an AOT cache");
        if (run.startup().isEmpty()) {
            line("Not run in this mode (full mode only).");
            return;
        }
        table(List.of("component", "JVM", "ready after spawn", "RSS at ready (MB)", "target ≤ 2 s", "note"),
                run.startup().stream().map(startup -> List.of(startup.component(), startup.jvm(), Format.millis(startup.readyMillis()),
                        Format.megabytes(startup.rssAtReadyKb()),
                        Double.isNaN(startup.readyMillis()) ? "not measured" : startup.readyMillis() <= 2000 ? "met" : "missed",
                        startup.failure() == null ? "" : startup.failure())).toList());
        line("");
        line("The class-archive row is the mesh-node as `./mesh up` starts it on the JDK of the run: the launcher's own "
                + "code extracts the jar, records the archive with a training node (a dynamic AppCDS archive, "
                + "`-XX:ArchiveClassesAtExit`, on JDK 17; an AOT cache from JDK 25 on) and starts the node on the extracted "
                + "jar with `-XX:SharedArchiveFile` (or `-XX:AOTCache`). The plain-jar row on the same JDK is started just "
                + "before it, so that both meet the same load on the machine. The JDK 25 AOT cache is recorded by a training run "
                + "(`-XX:AOTCacheOutput`, started, made ready, given a few seconds of traffic, stopped) and used with "
                + "`-XX:AOTCache`. Every mesh-node row runs with the node's `jvm.options`, so from the bean definitions "
                + "Spring AOT generated when the jar was built (`-Dspring.aot.enabled=true`). Each figure is one start on "
                + "a shared machine.");
    }

    private void largeTables(int size) {
        section("Large tables: 10,000 routes and clusters");
        List<ContenderFigures> large = run.contenders().stream()
                .filter(contender -> contender.id().endsWith("-routes") || contender.id().endsWith("-clusters")).toList();
        if (large.isEmpty()) {
            line("Not run in this mode (full mode only).");
            return;
        }
        int rate = run.rates().contains(BenchPlan.TARGET_RATE) ? BenchPlan.TARGET_RATE : run.rates().get(0);
        table(List.of("contender", "status", "ready", "req/s", "× same with 1 route/cluster", "p50 @" + rate, "p99 @" + rate,
                        "CPU µs/req (sat.)", "RSS MB steady / peak"),
                large.stream().map(contender -> {
                    ContenderFigures small = run.contender(baseId(contender.id()));
                    double rps = rps(contender, size);
                    LatencySummary latency = latency(contender, size, rate);
                    return List.of(name(contender), contender.failure() == null ? "ok" : contender.failure(),
                            Format.millis(contender.readyMillis()), Format.rate(rps),
                            Format.ratio(PairedFigures.throughputRatio(contender, small, size)),
                            Format.micros(latency == null ? Double.NaN : latency.p50Micros()),
                            Format.micros(latency == null ? Double.NaN : latency.p99Micros()),
                            cpuList(contender, contender.atSize(size) == null ? Map.of()
                                    : contender.atSize(size).saturationCpuMicrosPerRequest()),
                            memoryList(contender));
                }).toList());
        line("");
        line("Gateways get a generated route file (route i: `Path=/r<i>/**`, `StripPrefix=1`) and the load addresses the "
                + "last route, the worst case for a lookup that tries routes in order. The mesh-node run registers that "
                + "many services in the registry (one endpoint each) before the nodes start and addresses the last one, "
                + "so node A fetches, parses and indexes the whole registry on every refresh. An indexed lookup keeps the "
                + "ratio to the one-route figure near 1×.");
    }

    /** Only when the run profiled (--profile): where each JVM process's CPU went in its profiled window. */
    private void profiles(int size) {
        List<ContenderFigures> profiled = run.contenders().stream().filter(contender -> !contender.profiles().isEmpty()).toList();
        if (profiled.isEmpty()) {
            return;
        }
        section("Where the CPU goes (profiled, " + bytes(size) + " at saturation)");
        line("After its measured windows, each JVM contender ran one more " + Math.round(run.saturationSeconds())
                + " s saturation window with async-profiler sampling the CPU of each of its processes (every 997 µs, "
                + "Java, native and kernel frames); that window's figures are not reported elsewhere. Shares are of "
                + "all samples of the process. Kernel: time in the kernel, and the system calls that took the most, "
                + "named by the function that entered the kernel (on loopback a write also delivers the segment to "
                + "its reader). JIT and GC: the compiler's threads, and garbage collection with other VM operations. "
                + "Own code: self time in the project's classes. Hottest frames: self time in user space.");
        line("");
        List<List<String>> rows = new java.util.ArrayList<>();
        for (ContenderFigures contender : profiled) {
            for (CpuProfile profile : contender.profiles()) {
                rows.add(List.of(contender.id(), profile.process(), String.format(java.util.Locale.ROOT, "%,d", profile.samples()),
                        Format.share(profile.kernelShare()), shares(profile.systemCalls(), 4),
                        Format.share(profile.jitShare()) + " / " + Format.share(profile.gcAndVmShare()),
                        Format.share(profile.projectCodeShare()), shares(profile.hottestFrames(), 6),
                        "`" + profile.flameGraph() + "`"));
            }
        }
        table(List.of("contender", "process", "samples", "kernel", "top system calls", "JIT / GC", "own code",
                "hottest frames (self)", "flame graph"), rows);
        line("");
        line("Flame graphs and collapsed stacks stay in the run's directory (not kept in the repository); open the "
                + "HTML in a browser. A kernel share shown as - means the profile holds no kernel frame: perf events "
                + "were not available, and async-profiler sampled user space only.");
    }

    private static String shares(List<CpuProfile.FrameShare> frames, int limit) {
        StringBuilder text = new StringBuilder();
        frames.stream().limit(limit).forEach(frame -> text.append(text.isEmpty() ? "" : "; ")
                .append(frame.frame()).append(' ').append(Format.share(frame.share())));
        return text.isEmpty() ? "-" : text.toString();
    }

    private static String baseId(String id) {
        if (id.startsWith("plain-scg")) {
            return "plain-scg";
        }
        if (id.startsWith("gateway")) {
            return "gateway";
        }
        return "mesh-node-hop";
    }

    private void notes() {
        section("Contenders, settings and failures");
        for (ContenderFigures contender : run.contenders()) {
            StringBuilder entry = new StringBuilder("- **" + contender.id() + "**: " + contender.title());
            if (contender.jvm()) {
                entry.append("; warmed up ").append(Math.round(contender.warmUpSeconds())).append(" s before measuring");
            }
            if (contender.failure() != null) {
                entry.append("; **").append(firstLine(contender.failure())).append("**");
            }
            for (String note : contender.notes()) {
                entry.append("; ").append(note);
            }
            line(entry.toString());
        }
        for (String note : run.notes()) {
            line("- " + note);
        }
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " (see the JSON and the process log for more)";
    }

    private static String name(ContenderFigures contender) {
        return contender.id();
    }

    private static double rps(ContenderFigures contender, int size) {
        return contender == null || contender.atSize(size) == null ? Double.NaN
                : contender.atSize(size).saturation().requestsPerSecond();
    }

    private static LatencySummary latency(ContenderFigures contender, int size, int rate) {
        if (contender == null || contender.atSize(size) == null || contender.atSize(size).atRate(rate) == null) {
            return null;
        }
        return contender.atSize(size).atRate(rate).load().responseTime();
    }

    private static String ratio(LatencySummary latency, LatencySummary base, ToDoubleFunction<LatencySummary> percentile) {
        return latency == null || base == null ? "-"
                : Format.ratio(percentile.applyAsDouble(latency) / percentile.applyAsDouble(base));
    }

    private static String cpuList(ContenderFigures contender, Map<String, Double> cpu) {
        if (cpu.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        cpu.forEach((label, micros) -> text.append(text.isEmpty() ? "" : "; ").append(label).append(' ').append(Format.decimal(micros)));
        return text.toString();
    }

    private static String memoryList(ContenderFigures contender) {
        if (contender.processes().isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        for (ProcessFigures process : contender.processes()) {
            text.append(text.isEmpty() ? "" : "; ").append(process.label()).append(' ')
                    .append(Format.megabytes(process.steadyRssKb())).append(" / ").append(Format.megabytes(process.peakRssKb()));
        }
        return text.toString();
    }

    private static String bytes(int size) {
        return size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }

    private static double parse(String number) {
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private void section(String title) {
        line("");
        line("## " + title);
        line("");
    }

    private void table(List<String> header, List<List<String>> rows) {
        line("| " + String.join(" | ", header) + " |");
        line("|" + "---|".repeat(header.size()));
        for (List<String> row : rows) {
            line("| " + String.join(" | ", row.stream().map(cell -> cell.replace("|", "\\|").replace("\n", " ")).toList()) + " |");
        }
    }

    private void line(String text) {
        md.append(text).append('\n');
    }
}
