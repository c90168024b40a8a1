package dev.meshgate.node.telemetry;

import dev.meshgate.core.retry.RetryBudgets;
import dev.meshgate.proxy.cluster.ClusterState;
import dev.meshgate.proxy.telemetry.StageMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;
import java.util.function.IntSupplier;

/**
 * The data plane's meters, all named {@code mesh.*} (Prometheus: {@code mesh_*}): per-direction
 * exchange metrics, the upstream connection pool gauges, and the circuit breakers' meters.
 */
public final class ProxyMetrics {

    public static final String INBOUND = "inbound";
    public static final String OUTBOUND = "outbound";

    private final MeterRegistry registry;
    private final ExchangeMetrics inbound;
    private final ExchangeMetrics outbound;
    private final ClusterState clusters;

    public ProxyMetrics(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    /** @param breakerClock the circuit breakers' time: a virtual one in tests */
    public ProxyMetrics(MeterRegistry registry, Clock breakerClock) {
        this.registry = registry;
        this.inbound = new ExchangeMetrics(registry, INBOUND);
        this.outbound = new ExchangeMetrics(registry, OUTBOUND);
        this.clusters = new ClusterState(new RetryBudgets(), StageMeters.circuitBreakers(registry, breakerClock, Tags.empty()));
    }

    /** The state the node keeps per cluster it calls (retry budgets, circuit breakers), its breakers metered. */
    public ClusterState clusters() {
        return clusters;
    }

    public ExchangeMetrics inbound() {
        return inbound;
    }

    public ExchangeMetrics outbound() {
        return outbound;
    }

    /**
     * Registers {@code mesh_upstream_connections_open{pool}} and {@code mesh_upstream_connections_idle{pool}}
     * for a connection pool ({@code app}: to the local app, {@code peers}: to other nodes).
     */
    public void poolGauges(String pool, IntSupplier open, IntSupplier idle) {
        Gauge.builder("mesh.upstream.connections.open", open, IntSupplier::getAsInt)
                .description("Upstream connections currently open, busy or idle")
                .tag("pool", pool)
                .strongReference(true)
                .register(registry);
        Gauge.builder("mesh.upstream.connections.idle", idle, IntSupplier::getAsInt)
                .description("Upstream keep-alive connections waiting in the pool")
                .tag("pool", pool)
                .strongReference(true)
                .register(registry);
    }
}
