package dev.meshgate.bench;

import dev.meshgate.bench.contender.Deployment;
import dev.meshgate.bench.load.OpenLoopLoad;
import dev.meshgate.bench.load.OpenLoopResult;
import dev.meshgate.bench.load.Wrk;
import dev.meshgate.bench.load.WrkResult;
import dev.meshgate.bench.report.DirectAlongside;
import dev.meshgate.bench.report.NginxAlongside;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The references every contender's windows are bracketed with: a reference nginx, started once for the
 * whole run, at saturation before and after each saturation window; the upstream without a proxy at
 * the target rate before and after each target-rate window. Each reference window is half as long as
 * the contender's, so a pair costs as much time as the window it brackets.
 *
 * <p>A reference window that fails is logged and leaves its figure out (null): the contender's own
 * figures are kept and compared the plain way.
 */
public final class ReferenceWindows {

    private final Deployment nginx;
    private final Deployment direct;
    private final BenchPlan plan;
    private final Wrk wrk;
    private final OpenLoopLoad openLoop;
    private final PrintStream log;

    /** {@code nginx} is null when the reference nginx did not start: saturation windows then go unbracketed. */
    public ReferenceWindows(Deployment nginx, Deployment direct, BenchPlan plan, Wrk wrk, OpenLoopLoad openLoop, PrintStream log) {
        this.nginx = nginx;
        this.direct = direct;
        this.plan = plan;
        this.wrk = wrk;
        this.openLoop = openLoop;
        this.log = log;
    }

    /** Runs {@code window} between two reference nginx windows at the same body size. */
    public <T> Bracketed<T, NginxAlongside> aroundSaturation(int bodyBytes, Supplier<T> window) {
        if (nginx == null) {
            return new Bracketed<>(window.get(), null);
        }
        WrkResult before = nginxWindow(bodyBytes);
        T result = window.get();
        WrkResult after = nginxWindow(bodyBytes);
        NginxAlongside alongside = before == null || after == null ? null : new NginxAlongside(before, after);
        if (alongside != null) {
            log.printf("   reference nginx alongside: %.0f req/s (%.0f before, %.0f after)%n", alongside.requestsPerSecond(),
                    before.requestsPerSecond(), after.requestsPerSecond());
        }
        return new Bracketed<>(result, alongside);
    }

    /** Runs {@code window} between two direct windows at the same body size and rate. */
    public <T> Bracketed<T, DirectAlongside> aroundRate(int bodyBytes, int rate, Supplier<T> window) {
        OpenLoopResult before = directWindow(bodyBytes, rate);
        T result = window.get();
        OpenLoopResult after = directWindow(bodyBytes, rate);
        DirectAlongside alongside = before == null || after == null ? null : new DirectAlongside(before, after);
        if (alongside != null) {
            log.printf("   direct alongside at %d req/s: p50 %.0f µs, p99 %.0f µs%n", rate, alongside.p50Micros(),
                    alongside.p99Micros());
        }
        return new Bracketed<>(result, alongside);
    }

    private WrkResult nginxWindow(int bodyBytes) {
        try {
            WrkResult result = wrk.run(nginx.url(bodyBytes), nginx.host(), plan.saturationMeasure().dividedBy(2));
            if (result.requests() == 0 || result.failures() > result.requests() / 100) {
                log.printf("   reference nginx window left out: %d of %d requests failed%n", result.failures(), result.requests());
                return null;
            }
            return result;
        } catch (Exception e) {
            // Netty's connect failures arrive unchecked though declared checked: catch them all
            log.printf("   reference nginx window left out: %s%n", e.getMessage());
            return null;
        }
    }

    private OpenLoopResult directWindow(int bodyBytes, int rate) {
        try {
            Duration half = plan.rateMeasure().dividedBy(2);
            OpenLoopResult result = openLoop.run(direct.port(), direct.host(), direct.path(bodyBytes), rate,
                    plan.openLoopConnections(), plan.rateLeadIn(), half, () -> { });
            if (result.completed() == 0 || result.failed() > result.completed() / 100) {
                log.printf("   direct reference window left out: %d of %d requests failed%n", result.failed(),
                        result.completed() + result.failed());
                return null;
            }
            return result;
        } catch (Exception e) {
            // a refused connection surfaces as Netty's (checked) ConnectException, thrown undeclared
            log.printf("   direct reference window left out: %s%n", e.getMessage());
            return null;
        }
    }

    /** A contender's window and the reference measured alongside it (null when a reference window failed). */
    public record Bracketed<T, R>(T window, R alongside) {
    }
}
