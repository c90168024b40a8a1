package dev.meshgate.bench.load;

import org.HdrHistogram.Histogram;

/** Percentiles of a latency histogram recorded in nanoseconds, reported in microseconds. */
public record LatencySummary(long count, double p50Micros, double p90Micros, double p99Micros, double p999Micros,
                             double maxMicros, double meanMicros) {

    public static LatencySummary of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencySummary(nanos.getTotalCount(),
                nanos.getValueAtPercentile(50) / 1e3,
                nanos.getValueAtPercentile(90) / 1e3,
                nanos.getValueAtPercentile(99) / 1e3,
                nanos.getValueAtPercentile(99.9) / 1e3,
                nanos.getMaxValue() / 1e3,
                nanos.getMean() / 1e3);
    }
}
