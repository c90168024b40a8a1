package dev.meshgate.bench.report;

import dev.meshgate.bench.load.LatencySummary;

import java.util.function.ToDoubleFunction;

/**
 * Ratios and differences between contenders measured minutes apart, taken through the references
 * measured alongside each of them ({@link NginxAlongside}, {@link DirectAlongside}), so that the
 * machine's drift during a run does not read as a difference between contenders. Where a figure has no
 * reference (an older run's JSON, a failed reference window), the plain figures are compared.
 */
public final class PairedFigures {

    private PairedFigures() {
    }

    /**
     * {@code a}'s throughput over {@code b}'s at {@code size}: each divided first by the reference nginx
     * measured alongside it when both have one, else the two throughputs as measured.
     */
    public static double throughputRatio(ContenderFigures a, ContenderFigures b, int size) {
        SizeFigures first = a == null ? null : a.atSize(size);
        SizeFigures second = b == null ? null : b.atSize(size);
        if (first == null || second == null) {
            return Double.NaN;
        }
        double ratio = first.saturation().requestsPerSecond() / second.saturation().requestsPerSecond();
        if (first.nginxAlongside() == null || second.nginxAlongside() == null) {
            return ratio;
        }
        return ratio * second.nginxAlongside().requestsPerSecond() / first.nginxAlongside().requestsPerSecond();
    }

    /**
     * A contender's latency percentile at {@code rate} minus the machine's own: the direct windows measured
     * alongside it when it has them, else the run's {@code direct} contender at the same rate.
     */
    public static double addedLatency(ContenderFigures contender, ContenderFigures direct, int size, int rate,
                                      ToDoubleFunction<LatencySummary> percentile) {
        RateFigures figures = atRate(contender, size, rate);
        if (figures == null) {
            return Double.NaN;
        }
        double own = percentile.applyAsDouble(figures.load().responseTime());
        if (figures.directAlongside() != null) {
            return own - figures.directAlongside().mean(percentile);
        }
        RateFigures base = atRate(direct, size, rate);
        return base == null ? Double.NaN : own - percentile.applyAsDouble(base.load().responseTime());
    }

    private static RateFigures atRate(ContenderFigures contender, int size, int rate) {
        return contender == null || contender.atSize(size) == null ? null : contender.atSize(size).atRate(rate);
    }
}
