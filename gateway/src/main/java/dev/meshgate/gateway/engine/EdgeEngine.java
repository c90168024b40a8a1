package dev.meshgate.gateway.engine;

import dev.meshgate.core.policy.PolicyStore;
import dev.meshgate.proxy.cluster.ClusterState;
import dev.meshgate.proxy.EngineSettings;
import dev.meshgate.proxy.exchange.ExchangeRecorder;
import dev.meshgate.proxy.exchange.Router;
import dev.meshgate.proxy.http.Forwarding;
import dev.meshgate.proxy.http.ProxyError;
import dev.meshgate.proxy.listener.ListenerContext;
import dev.meshgate.proxy.listener.RequestHeadTimeout;
import dev.meshgate.proxy.pool.ConnectionBudget;
import dev.meshgate.proxy.pool.UpstreamPools;
import dev.meshgate.proxy.transport.TransportSecurity;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The forwarding engine as the edge runs it: the mesh's pools, attempts, timeouts and errors under
 * Reactor Netty's server. Its upstream pools live on the server's own event loops, created with the
 * channel class of the first connection that uses them, so an upstream connection shares its client
 * connection's loop. Every edge exchange is routed by its caller (the fast path, the lb:// routing
 * filter), which has chosen the endpoint before the engine sees the request.
 */
public final class EdgeEngine {

    /** The listener's name in error messages. */
    static final String LISTENER = "edge";

    private static final Router ROUTED_BY_CALLER = EdgeEngine::routedByCaller;

    private final EngineSettings settings;
    private final PolicyStore policies;
    private final ExchangeRecorder recorder;
    private final ClusterState clusters;
    private volatile ListenerContext listener;

    public EdgeEngine(EngineSettings settings, PolicyStore policies, ExchangeRecorder recorder, ClusterState clusters) {
        this.settings = settings;
        this.policies = policies;
        this.recorder = recorder;
        this.clusters = clusters;
    }

    /** The retry budgets and circuit breakers of the services the edge calls. */
    public ClusterState clusters() {
        return clusters;
    }

    public EngineSettings settings() {
        return settings;
    }

    public PolicyStore policies() {
        return policies;
    }

    /** The edge listener for exchanges of {@code accepted}'s event loop. */
    public ListenerContext listener(Channel accepted) {
        ListenerContext current = listener;
        return current != null ? current : create(accepted.getClass());
    }

    private synchronized ListenerContext create(Class<? extends Channel> channelType) {
        if (listener == null) {
            UpstreamPools pools = new UpstreamPools(channelType, settings, TransportSecurity.PLAINTEXT,
                    ConnectionBudget.UNLIMITED);
            listener = new ListenerContext(LISTENER, ROUTED_BY_CALLER, policies, clusters, pools, recorder,
                    TransportSecurity.PLAINTEXT, settings, Forwarding.EDGE);
        }
        return listener;
    }

    /** The slow-header defence of one accepted connection, counted like the engine's own answers. */
    public RequestHeadTimeout requestHeadTimeout() {
        return new RequestHeadTimeout(settings.requestHeadTimeout().toNanos(),
                () -> recorder.error(ProxyError.REQUEST_HEAD_TIMEOUT.code()));
    }

    /** Closes the pools' idle connections; called when the gateway stops. */
    public void shutdown() {
        ListenerContext current = listener;
        if (current != null) {
            current.startDraining();
            current.upstreams().shutdown();
        }
    }

    private static void routedByCaller(dev.meshgate.proxy.exchange.Exchange exchange, HttpRequest request) {
        throw new IllegalStateException("edge exchanges are routed by their caller");
    }
}
