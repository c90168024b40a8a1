package dev.meshgate.gateway.engine;

import dev.meshgate.proxy.cluster.CircuitBreakers;
import dev.meshgate.proxy.telemetry.StageMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;

/**
 * The edge engine's metrics. Requests and their latency are Gateway's and the fast path's own meters;
 * this adds what only the engine sees, named as on the nodes with {@code direction="edge"}
 * ({@link StageMeters}): the answers it gave itself, the tries it made again, ejections, budget
 * refusals, bulkhead rejections, injected faults and timeouts by kind.
 */
final class EdgeRecorder extends StageMeters {

    EdgeRecorder(MeterRegistry registry) {
        super(registry, EdgeEngine.LISTENER);
    }

    @Override
    public long started() {
        return System.nanoTime();
    }

    @Override
    public void finished(int status, long startNanos) {
        // counted by the fast path's and Gateway's request meters
    }

    /** The edge's circuit breakers, metered as the nodes' are, their transitions tagged {@code direction="edge"}. */
    CircuitBreakers circuitBreakers() {
        return circuitBreakers(registry, Clock.systemUTC(), directionTag);
    }
}
