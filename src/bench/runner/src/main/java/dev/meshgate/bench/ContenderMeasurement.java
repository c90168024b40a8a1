package dev.meshgate.bench;

import dev.meshgate.bench.contender.Contender;
import dev.meshgate.bench.contender.Deployment;
import dev.meshgate.bench.contender.MeasuredProcess;
import dev.meshgate.bench.load.OpenLoopLoad;
import dev.meshgate.bench.load.OpenLoopResult;
import dev.meshgate.bench.load.Wrk;
import dev.meshgate.bench.load.WrkResult;
import dev.meshgate.bench.proc.ProcFiles;
import dev.meshgate.bench.profile.AsyncProfiler;
import dev.meshgate.bench.profile.CpuProfile;
import dev.meshgate.bench.proc.ProcessGroupMeter;
import dev.meshgate.bench.report.ContenderFigures;
import dev.meshgate.bench.report.DirectAlongside;
import dev.meshgate.bench.report.NginxAlongside;
import dev.meshgate.bench.report.Format;
import dev.meshgate.bench.report.ProcessFigures;
import dev.meshgate.bench.report.RateFigures;
import dev.meshgate.bench.report.SizeFigures;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One contender's turn: start it, warm a JVM up, measure saturation and each fixed rate at each body
 * size (the saturation windows and the target-rate one bracketed by {@link ReferenceWindows}), read CPU
 * and memory around every window, profile a JVM's processes in one more saturation
 * window when asked to, stop it. A failure ends the turn, keeps what was measured and says why; the
 * run goes on with the next contender.
 */
public final class ContenderMeasurement {

    private final BenchContext context;
    private final BenchPlan plan;
    private final Wrk wrk;
    private final OpenLoopLoad openLoop;
    private final ProcFiles proc;
    private final AsyncProfiler profiler;
    private final ReferenceWindows references;
    private final PrintStream log;

    /** {@code profiler} is null when the run does not profile. */
    public ContenderMeasurement(BenchContext context, BenchPlan plan, Wrk wrk, OpenLoopLoad openLoop, ProcFiles proc,
                                AsyncProfiler profiler, ReferenceWindows references, PrintStream log) {
        this.context = context;
        this.plan = plan;
        this.wrk = wrk;
        this.openLoop = openLoop;
        this.proc = proc;
        this.profiler = profiler;
        this.references = references;
        this.log = log;
    }

    /** Starts the contender now, measures it, stops it. */
    public ContenderFigures measure(Contender contender) {
        return measure(contender, () -> contender.deploy(context), true);
    }

    /**
     * Measures a contender whose start is already under way (quick mode starts them all at once);
     * {@code ownsRun} says whether a failed start may stop every non-shared process (only when no other
     * contender is starting meanwhile).
     */
    public ContenderFigures measure(Contender contender, Supplier<Deployment> deploy, boolean ownsRun) {
        log.printf("%n== %s: %s%n", contender.id(), contender.title());
        Deployment deployment;
        try {
            deployment = deploy.get();
        } catch (RuntimeException e) {
            String reason = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause().getMessage() : e.getMessage();
            log.printf("   did not start: %s%n", reason);
            if (ownsRun) {
                stopAll(context);
            }
            return new ContenderFigures(contender.id(), contender.title(), contender.jvm(), 0, Double.NaN, List.of(),
                    List.of(), List.of(), List.of(), "did not start: " + reason);
        }
        log.printf("   ready in %d ms%n", deployment.readyTime().toMillis());
        List<SizeFigures> sizes = new ArrayList<>();
        Map<String, ProcessGroupMeter> meters = new LinkedHashMap<>();
        for (MeasuredProcess process : deployment.processes()) {
            meters.put(process.label(), new ProcessGroupMeter(proc, process.process().handle()));
        }
        Map<String, Long> rssAtTargetRate = new LinkedHashMap<>();
        String failure = null;
        double warmedSeconds = 0;
        // read once, when the measured windows end; null until then
        List<ProcessFigures> processes = null;
        List<CpuProfile> profiles = List.of();
        List<String> notes = new ArrayList<>(deployment.notes());
        try {
            if (contender.jvm()) {
                warmedSeconds = warmUp(deployment, contender.fullMatrix() ? plan.bodySizes() : List.of(plan.primaryBodySize()));
            }
            for (int size : plan.bodySizes()) {
                if (contender.fullMatrix() || size == plan.primaryBodySize()) {
                    sizes.add(measureSize(deployment, size, rates(contender, size), meters, rssAtTargetRate));
                }
            }
            if (profiler != null && contender.jvm()) {
                // memory first: the agent's own buffers and symbol tables would count as the process's
                processes = processFigures(deployment, meters, rssAtTargetRate);
                try {
                    profiles = profile(contender, deployment);
                } catch (BenchException e) {
                    notes.add("not profiled: " + e.getMessage());
                    log.printf("   not profiled: %s%n", e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            failure = "broke during measurement: " + e.getMessage();
            log.printf("   %s%n", failure);
        } finally {
            if (processes == null) {
                processes = processFigures(deployment, meters, rssAtTargetRate);
            }
            context.processes().stop(deployment.processes().stream().map(MeasuredProcess::process).toList());
        }
        return new ContenderFigures(contender.id(), contender.title(), contender.jvm(), warmedSeconds,
                deployment.readyTime().toNanos() / 1e6, processes, sizes, profiles, List.copyOf(notes), failure);
    }

    /**
     * One more saturation window at the primary body size with every process of the contender profiled.
     * It comes after the measured windows, so the profiler's own cost is in no reported figure. Sampling
     * stops in every process that started it, also when the window fails.
     */
    private List<CpuProfile> profile(Contender contender, Deployment deployment) {
        Path directory = context.runDir().resolve("profiles").resolve(contender.id());
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new BenchException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        List<MeasuredProcess> sampled = new ArrayList<>();
        List<CpuProfile> profiles = new ArrayList<>();
        boolean windowDone = false;
        try {
            for (MeasuredProcess process : deployment.processes()) {
                profiler.start(process.process().pid());
                sampled.add(process);
            }
            int size = plan.primaryBodySize();
            log.printf("   profiling %d s at %d B%n", plan.saturationMeasure().toSeconds(), size);
            WrkResult window = wrk.run(deployment.url(size), deployment.host(), plan.saturationMeasure());
            requireAnswers("profiled window", window.requests(), window.failures());
            windowDone = true;
        } finally {
            String stopFailure = null;
            for (MeasuredProcess process : sampled) {
                Path flameGraph = directory.resolve(fileName(process.label()) + ".html");
                Path collapsed = directory.resolve(fileName(process.label()) + ".collapsed.txt");
                try {
                    profiler.stop(process.process().pid(), flameGraph, collapsed);
                    if (windowDone) {
                        profiles.add(CpuProfile.parse(process.label(), Files.readAllLines(collapsed), flameGraph.toString()));
                    }
                } catch (BenchException | IOException e) {
                    // go on stopping the others; a failed window's own exception is the one to report
                    stopFailure = stopFailure != null ? stopFailure : "profile of " + process.label() + ": " + e.getMessage();
                }
            }
            if (windowDone && stopFailure != null) {
                throw new BenchException(stopFailure);
            }
        }
        profiles.forEach(profile -> log.printf("   %s: %d samples, %s in the kernel, flame graph %s%n",
                profile.process(), profile.samples(), Format.share(profile.kernelShare()), profile.flameGraph()));
        return profiles;
    }

    /** "node A (outbound)" as "node-a-outbound". */
    static String fileName(String label) {
        String name = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return name.isEmpty() ? "process" : name;
    }

    /** Closed-loop load across the body sizes until the JIT has compiled the hot paths. */
    private double warmUp(Deployment deployment, List<Integer> sizes) {
        Duration each = plan.warmUp().dividedBy(sizes.size());
        double total = 0;
        for (int size : sizes) {
            log.printf("   warming up %d s at %d B%n", each.toSeconds(), size);
            WrkResult warm = wrk.run(deployment.url(size), deployment.host(), each);
            total += warm.seconds();
            requireAnswers("warm-up", warm.requests(), warm.failures());
        }
        return total;
    }

    /** Every rate at the primary body size; at other sizes, and for large-table runs, the target rate only. */
    private List<Integer> rates(Contender contender, int size) {
        if (size == plan.primaryBodySize() && contender.fullMatrix()) {
            return plan.rates();
        }
        return plan.rates().contains(BenchPlan.TARGET_RATE) ? List.of(BenchPlan.TARGET_RATE) : List.of(plan.rates().get(0));
    }

    private SizeFigures measureSize(Deployment deployment, int size, List<Integer> rateList,
                                    Map<String, ProcessGroupMeter> meters, Map<String, Long> rssAtTargetRate) {
        Map<String, Long> before = new LinkedHashMap<>();
        ReferenceWindows.Bracketed<WrkResult, NginxAlongside> bracketed = references.aroundSaturation(size, () -> {
            before.putAll(cpu(meters));
            return wrk.run(deployment.url(size), deployment.host(), plan.saturationMeasure());
        });
        WrkResult saturation = bracketed.window();
        Map<String, Double> saturationCpu = perRequest(before, cpu(meters), saturation.requests());
        log.printf("   %d B: %.0f req/s closed loop (%d failed), CPU µs/req %s%n", size, saturation.requestsPerSecond(),
                saturation.failures(), format(saturationCpu));
        requireAnswers("saturation", saturation.requests(), saturation.failures());
        List<RateFigures> rates = new ArrayList<>();
        for (int rate : rateList) {
            // an unrecorded lead-in at the same rate opens connections and settles the pools first
            Map<String, Long> cpuBefore = new LinkedHashMap<>();
            Map<String, Double> rateCpu = new LinkedHashMap<>();
            Map<String, Long> rss = new LinkedHashMap<>();
            Supplier<OpenLoopResult> window = () -> {
                OpenLoopResult measured = openLoop.run(deployment.port(), deployment.host(), deployment.path(size), rate,
                        plan.openLoopConnections(), plan.rateLeadIn(), plan.rateMeasure(), () -> cpuBefore.putAll(cpu(meters)));
                rateCpu.putAll(perRequest(cpuBefore, cpu(meters), measured.completed() + measured.failed()));
                meters.forEach((label, meter) -> rss.put(label, meter.memory().rssKb()));
                return measured;
            };
            boolean targetWindow = rate == BenchPlan.TARGET_RATE && size == plan.primaryBodySize();
            // the targets' latency is read here: only this window is bracketed with direct ones
            ReferenceWindows.Bracketed<OpenLoopResult, DirectAlongside> bracketedRate = targetWindow
                    ? references.aroundRate(size, rate, window) : new ReferenceWindows.Bracketed<>(window.get(), null);
            OpenLoopResult result = bracketedRate.window();
            if (targetWindow) {
                rssAtTargetRate.putAll(rss);
            }
            log.printf("   %d B at %d req/s: p50 %.0f µs, p99 %.0f µs, p99.9 %.0f µs (%d failed), CPU µs/req %s%n", size, rate,
                    result.responseTime().p50Micros(), result.responseTime().p99Micros(), result.responseTime().p999Micros(),
                    result.failed(), format(rateCpu));
            rates.add(new RateFigures(result, bracketedRate.alongside(), rateCpu, rss));
        }
        return new SizeFigures(size, saturation, bracketed.alongside(), saturationCpu, rates);
    }

    private static void requireAnswers(String phase, long requests, long failures) {
        if (requests == 0) {
            throw new BenchException(phase + ": no request was answered");
        }
        if (failures > requests / 100) {
            throw new BenchException(phase + ": " + failures + " of " + requests + " requests failed");
        }
    }

    private static Map<String, Long> cpu(Map<String, ProcessGroupMeter> meters) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        meters.forEach((label, meter) -> cpu.put(label, meter.cpuMicros()));
        return cpu;
    }

    static Map<String, Double> perRequest(Map<String, Long> before, Map<String, Long> after, long requests) {
        Map<String, Double> perRequest = new LinkedHashMap<>();
        before.forEach((label, micros) -> perRequest.put(label,
                requests > 0 ? (after.get(label) - micros) / (double) requests : Double.NaN));
        return perRequest;
    }

    private List<ProcessFigures> processFigures(Deployment deployment, Map<String, ProcessGroupMeter> meters,
                                                Map<String, Long> rssAtTargetRate) {
        List<ProcessFigures> figures = new ArrayList<>();
        for (MeasuredProcess process : deployment.processes()) {
            ProcFiles.Memory memory = meters.get(process.label()).memory();
            figures.add(new ProcessFigures(process.label(), process.process().pid(), process.meshNode(),
                    process.readyTime().toNanos() / 1e6, memory.rssKb(), memory.peakRssKb(),
                    rssAtTargetRate.getOrDefault(process.label(), -1L)));
        }
        return figures;
    }

    private static void stopAll(BenchContext context) {
        // a contender that failed half-way may have started some of its processes: the run's list has them
        context.processes().stopAllExceptShared();
    }

    private static String format(Map<String, Double> cpu) {
        StringBuilder text = new StringBuilder();
        cpu.forEach((label, micros) -> text.append(text.isEmpty() ? "" : ", ").append(label).append(' ')
                .append(String.format("%.1f", micros)));
        return text.isEmpty() ? "-" : text.toString();
    }
}
