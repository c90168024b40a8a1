package dev.meshgate.proxy.listener;

import dev.meshgate.core.policy.PolicyStore;
import dev.meshgate.proxy.cluster.ClusterState;
import dev.meshgate.proxy.EngineSettings;
import dev.meshgate.proxy.exchange.ExchangeRecorder;
import dev.meshgate.proxy.exchange.Router;
import dev.meshgate.proxy.http.Forwarding;
import dev.meshgate.proxy.pool.UpstreamPools;
import dev.meshgate.proxy.transport.TransportSecurity;

/**
 * What every exchange accepted by one listener shares: its stack's router, the policy it reads its
 * snapshot from, the running state of the clusters it calls (retry budgets, circuit breakers), where its upstream connections come from, its metrics, the security of its
 * accepted connections, and the protocol limits.
 */
public final class ListenerContext {

    private final String name;
    private final Router router;
    private final PolicyStore policies;
    private final ClusterState clusters;
    private final UpstreamPools upstreams;
    private final ExchangeRecorder recorder;
    private final TransportSecurity security;
    private final EngineSettings settings;
    private final Forwarding forwarding;
    private volatile boolean draining;

    public ListenerContext(String name, Router router, PolicyStore policies, ClusterState clusters,
            UpstreamPools upstreams, ExchangeRecorder recorder, TransportSecurity security, EngineSettings settings,
            Forwarding forwarding) {
        this.name = name;
        this.clusters = clusters;
        this.forwarding = forwarding;
        this.router = router;
        this.policies = policies;
        this.upstreams = upstreams;
        this.recorder = recorder;
        this.security = security;
        this.settings = settings;
    }

    public String name() {
        return name;
    }

    public Router router() {
        return router;
    }

    public PolicyStore policies() {
        return policies;
    }

    /** The data plane's retry budgets and circuit breakers, per cluster, shared by all its listeners. */
    public ClusterState clusters() {
        return clusters;
    }

    public UpstreamPools upstreams() {
        return upstreams;
    }

    public ExchangeRecorder recorder() {
        return recorder;
    }

    public TransportSecurity security() {
        return security;
    }

    public EngineSettings settings() {
        return settings;
    }

    public Forwarding forwarding() {
        return forwarding;
    }

    /** True once the data plane shuts down: connections accepted from now on close after one exchange. */
    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
