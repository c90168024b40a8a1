package dev.meshgate.node.proxy;

import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.node.telemetry.ExchangeMetrics;

/**
 * What every connection accepted by one listener shares: where its upstream connections come from,
 * its metrics, the security of its accepted connections, and the protocol limits.
 */
public final class ListenerContext {

    private final String name;
    private final UpstreamPools upstreams;
    private final ExchangeMetrics metrics;
    private final TransportSecurity security;
    private final MeshNodeProperties.Proxy limits;
    private volatile boolean draining;

    ListenerContext(String name, UpstreamPools upstreams, ExchangeMetrics metrics, TransportSecurity security,
            MeshNodeProperties.Proxy limits) {
        this.name = name;
        this.upstreams = upstreams;
        this.metrics = metrics;
        this.security = security;
        this.limits = limits;
    }

    public String name() {
        return name;
    }

    public MeshNodeProperties.Proxy limits() {
        return limits;
    }

    /** True once the node shuts down: connections accepted from now on close after one exchange. */
    boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    UpstreamPools upstreams() {
        return upstreams;
    }

    ExchangeMetrics metrics() {
        return metrics;
    }

    TransportSecurity security() {
        return security;
    }
}
