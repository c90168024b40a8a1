package dev.meshgate.gateway.engine;

import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.proxy.exchange.ExchangeRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The edge engine's metrics. Requests and their latency are Gateway's and the fast path's own meters;
 * this adds what only the engine sees: {@code mesh_proxy_errors_total{direction="edge", reason}}, the
 * answers it gave itself (timeouts, refused connections, slow request heads), and
 * {@code mesh_proxy_retries_total{direction="edge", reason}}, the failed tries it made again.
 */
final class EdgeRecorder implements ExchangeRecorder {

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();

    EdgeRecorder(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public long started() {
        return System.nanoTime();
    }

    @Override
    public void finished(int status, long startNanos) {
        // counted by the fast path's and Gateway's request meters
    }

    @Override
    public void retried(RetryOn reason) {
        Counter.builder("mesh.proxy.retries")
                .description("Failed tries made again under the route's retry policy, by the failure")
                .tag("direction", EdgeEngine.LISTENER).tag("reason", reason.tag())
                .register(registry).increment();
    }

    @Override
    public void ejected(String service) {
        Counter.builder("mesh.proxy.ejections")
                .description("Endpoints taken out of rotation after their tries failed (outlier detection)")
                .tag("direction", EdgeEngine.LISTENER).tag("service", service)
                .register(registry).increment();
    }

    @Override
    public void error(String reason) {
        errors.computeIfAbsent(reason, r -> Counter.builder("mesh.proxy.errors")
                .description("Requests the proxy answered itself or could not complete, by reason")
                .tag("direction", EdgeEngine.LISTENER).tag("reason", r)
                .register(registry)).increment();
    }
}
