package dev.meshgate.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and at what to measure. {@link #full()} is the figure-producing run; {@link #quick()}
 * checks that the suite works end to end in under two minutes and says nothing reliable about speed.
 */
public record BenchPlan(
        String mode,
        Duration warmUp,
        Duration saturationMeasure,
        Duration rateLeadIn,
        Duration rateMeasure,
        List<Integer> bodySizes,
        List<Integer> rates,
        int saturationConnections,
        int openLoopConnections,
        boolean largeTables,
        int largeTableSize,
        boolean startupComparison,
        boolean startAllAtOnce) {

    /** The rate the latency, CPU and RSS targets are stated at. */
    public static final int TARGET_RATE = 1_000;
    public static final int KIB = 1024;

    public BenchPlan {
        bodySizes = List.copyOf(bodySizes);
        rates = List.copyOf(rates);
        if (bodySizes.isEmpty() || rates.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one body size and one rate");
        }
    }

    public static BenchPlan full() {
        return new BenchPlan("full", Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(2),
                Duration.ofSeconds(20), List.of(KIB, 64 * KIB), List.of(500, TARGET_RATE, 2_000), 32, 16,
                true, 10_000, true, false);
    }

    public static BenchPlan quick() {
        // windows as short as the tools take (wrk counts whole seconds, so each reference beside the 1 s
        // window runs 1 s too): the references bracket every window here as well, and the run stays under
        // two minutes
        return new BenchPlan("quick", Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(250),
                Duration.ofSeconds(1), List.of(KIB), List.of(TARGET_RATE), 32, 16,
                false, 0, false, true);
    }

    /** The body size targets and summary tables are read at. */
    public int primaryBodySize() {
        return bodySizes.get(0);
    }
}
