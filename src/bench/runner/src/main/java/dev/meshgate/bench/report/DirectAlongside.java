package dev.meshgate.bench.report;

import dev.meshgate.bench.load.LatencySummary;
import dev.meshgate.bench.load.OpenLoopResult;

import java.util.function.ToDoubleFunction;

/**
 * The upstream without a proxy at the same fixed rate, in the windows right before and right after a
 * contender's own: what the machine itself answered in at that moment. A contender's added latency is
 * its percentile minus the mean of these two windows' (an estimate of the machine's at the time of the
 * contender's window, exact for a linear drift).
 */
public record DirectAlongside(OpenLoopResult before, OpenLoopResult after) {

    public double p50Micros() {
        return mean(LatencySummary::p50Micros);
    }

    public double p99Micros() {
        return mean(LatencySummary::p99Micros);
    }

    public double mean(ToDoubleFunction<LatencySummary> percentile) {
        return (percentile.applyAsDouble(before.responseTime()) + percentile.applyAsDouble(after.responseTime())) / 2;
    }
}
