package dev.meshgate.node.app;

import dev.meshgate.core.policy.PolicyStore;
import dev.meshgate.core.balance.Balancer;
import dev.meshgate.core.balance.OutlierDetector;
import dev.meshgate.core.balance.RoundRobinBalancer;
import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.node.discovery.ServiceDirectory;
import dev.meshgate.node.inbound.InboundRouter;
import dev.meshgate.node.outbound.OutboundRouter;
import dev.meshgate.node.telemetry.ProxyMetrics;
import dev.meshgate.node.listener.BoundListeners;
import dev.meshgate.proxy.EngineSettings;
import dev.meshgate.proxy.cluster.ClusterState;
import dev.meshgate.proxy.exchange.Destination;
import dev.meshgate.proxy.exchange.Router;
import dev.meshgate.proxy.http.Forwarding;
import dev.meshgate.proxy.listener.Http1Connection;
import dev.meshgate.proxy.listener.ListenerContext;
import dev.meshgate.proxy.listener.ListenerInitializer;
import dev.meshgate.proxy.pool.ConnectionBudget;
import dev.meshgate.proxy.pool.UpstreamPools;
import dev.meshgate.proxy.transport.ProxyTransport;
import dev.meshgate.proxy.transport.TransportSecurity;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The data plane: the outbound listener (the local app's calls to other services) and the inbound
 * listener (calls from other nodes to the local app), on one set of event loops. This is the wiring
 * above both stacks: it puts each stack's {@link Router} on the engine's listeners and pools.
 *
 * <p>Starts early and stops late ({@link #PHASE}): anything that advertises these listeners (registry
 * registration) should use a higher phase, so it starts after them and withdraws before they stop.
 * Stopping closes the listeners, lets exchanges in flight finish for up to the drain timeout, then
 * closes every connection.
 */
public final class ProxyServer implements SmartLifecycle, BoundListeners {

    /** Lifecycle phase of the listeners: below the default, so advertising beans stop first. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final MeshNodeProperties properties;
    private final ProxyMetrics metrics;
    private final TransportSecurity peerSecurity;
    private final Router outboundRouter;
    private final Router inboundRouter;
    private final PolicyStore policies;
    private final Duration drainTimeout;

    private ProxyTransport transport;
    private ChannelGroup connections;
    private volatile UpstreamPools appUpstreams;
    private volatile UpstreamPools peerUpstreams;
    private ListenerContext outboundListener;
    private ListenerContext inboundListener;
    private Channel outboundChannel;
    private Channel inboundChannel;
    private volatile int outboundPort = -1;
    private volatile int inboundPort = -1;
    private volatile boolean listening;
    private volatile boolean running;

    /**
     * @param peerSecurity   protects node-to-node connections (accepted inbound, connected outbound)
     * @param outboundRouter the outbound stack: where the local app's calls go
     * @param inboundRouter  the inbound stack: where calls from peers go
     */
    public ProxyServer(MeshNodeProperties properties, ProxyMetrics metrics, TransportSecurity peerSecurity,
            Router outboundRouter, Router inboundRouter, PolicyStore policies, Duration drainTimeout) {
        this.properties = properties;
        this.metrics = metrics;
        this.peerSecurity = peerSecurity;
        this.outboundRouter = outboundRouter;
        this.inboundRouter = inboundRouter;
        this.policies = policies;
        this.drainTimeout = drainTimeout;
        metrics.poolGauges("app", () -> openConnections(appUpstreams), () -> idleConnections(appUpstreams));
        metrics.poolGauges("peers", () -> openConnections(peerUpstreams), () -> idleConnections(peerUpstreams));
    }

    /**
     * The node's standard stacks: outbound routes by service name, balanced round-robin, inbound
     * forwards to the local app.
     */
    public static ProxyServer forNode(MeshNodeProperties properties, ServiceDirectory directory, ProxyMetrics metrics,
            PolicyStore policies, Duration drainTimeout) {
        return forNode(properties, directory, new RoundRobinBalancer(), metrics, policies, drainTimeout);
    }

    /** The node's standard stacks with this balancer choosing among a service's endpoints. */
    public static ProxyServer forNode(MeshNodeProperties properties, ServiceDirectory directory, Balancer balancer,
            ProxyMetrics metrics, PolicyStore policies, Duration drainTimeout) {
        Duration lookupTimeout = properties.registry().requestTimeout().plus(properties.proxy().connectTimeout());
        Destination app = new Destination(null,
                InetSocketAddress.createUnresolved(properties.app().host(), properties.app().port()));
        boolean peerLinks = properties.proxy().peerProtocol() == MeshNodeProperties.PeerProtocol.H2C;
        return new ProxyServer(properties, metrics, TransportSecurity.PLAINTEXT,
                new OutboundRouter(directory, balancer, new OutlierDetector(OutlierDetector.Settings.DEFAULT), lookupTimeout, peerLinks,
                        properties.node().service() + "/" + properties.node().instanceId()),
                new InboundRouter(properties.node().service(), app, metrics.clusters().callerCaps(), metrics.inbound()),
                policies, drainTimeout);
    }

    /** The retry budgets, circuit breakers and bulkheads of the services this node calls. */
    public ClusterState clusters() {
        return metrics.clusters();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        MeshNodeProperties.Proxy limits = properties.proxy();
        ProxyTransport started = ProxyTransport.create(limits.effectiveEventLoopThreads());
        connections = new DefaultChannelGroup("mesh-node-downstream", GlobalEventExecutor.INSTANCE);
        EngineSettings engine = limits.engine();
        appUpstreams = new UpstreamPools(started.socketChannelType(), engine, TransportSecurity.PLAINTEXT,
                new ConnectionBudget(limits.maxAppConnections()));
        peerUpstreams = new UpstreamPools(started.socketChannelType(), engine, peerSecurity, ConnectionBudget.UNLIMITED);
        outboundListener = new ListenerContext(ProxyMetrics.OUTBOUND, outboundRouter, policies, metrics.clusters(),
                peerUpstreams, metrics.outbound(), TransportSecurity.PLAINTEXT, engine, Forwarding.MESH_HOP);
        inboundListener = new ListenerContext(ProxyMetrics.INBOUND, inboundRouter, policies, metrics.clusters(),
                appUpstreams, metrics.inbound(), peerSecurity, engine, Forwarding.MESH_HOP);
        try {
            outboundChannel = bind(started, outboundListener, properties.listeners().outbound(),
                    new ListenerInitializer(outboundListener, connections, false));
            inboundChannel = bind(started, inboundListener, properties.listeners().inbound(),
                    new ListenerInitializer(inboundListener, connections, true));
        } catch (RuntimeException e) {
            if (outboundChannel != null) {
                outboundChannel.close().awaitUninterruptibly();
                outboundChannel = null;
            }
            started.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            throw e;
        }
        transport = started;
        outboundPort = ((InetSocketAddress) outboundChannel.localAddress()).getPort();
        inboundPort = ((InetSocketAddress) inboundChannel.localAddress()).getPort();
        running = true;
        listening = true;
        log.info("mesh-node listening: outbound {}:{}, inbound {}:{} -> app {}:{} ({} event loops, {})",
                properties.listeners().outbound().host(), outboundPort,
                properties.listeners().inbound().host(), inboundPort,
                properties.app().host(), properties.app().port(),
                limits.effectiveEventLoopThreads(), started.name());
    }

    private static Channel bind(ProxyTransport transport, ListenerContext listener, MeshNodeProperties.Listener address,
            ListenerInitializer initializer) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Pooled, not Netty 4.2's default adaptive allocator: a hop ran at 41.2k against 38.8k req/s.
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(initializer);
        ChannelFuture bound;
        try {
            bound = bootstrap.bind(address.host(), address.port()).awaitUninterruptibly();
        } catch (RuntimeException e) {
            throw bindFailure(listener, address, e);
        }
        if (!bound.isSuccess()) {
            throw bindFailure(listener, address, bound.cause());
        }
        return bound.channel();
    }

    private static IllegalStateException bindFailure(ListenerContext listener, MeshNodeProperties.Listener address,
            Throwable cause) {
        String message = "mesh-node " + listener.name() + " listener cannot bind " + address.host() + ":"
                + address.port() + ": " + reason(cause);
        log.error(message);
        return new IllegalStateException(message, cause);
    }

    private static String reason(Throwable cause) {
        String text = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof BindException || text.contains("already in use")) {
            if (text.contains("already in use")) {
                return "address already in use";
            }
            if (text.contains("cannot assign") || text.contains("not available")) {
                return "address not available on this host";
            }
            if (text.contains("permission denied")) {
                return "permission denied";
            }
        }
        return cause.toString();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        listening = false;
        outboundListener.startDraining();
        inboundListener.startDraining();
        outboundChannel.close().awaitUninterruptibly();
        inboundChannel.close().awaitUninterruptibly();
        for (Channel connection : connections) {
            connection.pipeline().fireUserEventTriggered(Http1Connection.DRAIN);
        }
        if (!connections.newCloseFuture().awaitUninterruptibly(drainTimeout.toMillis())) {
            log.warn("mesh-node stopping: {} connection(s) still busy after {}, closing them",
                    connections.size(), drainTimeout);
        }
        connections.close().awaitUninterruptibly();
        appUpstreams.shutdown();
        peerUpstreams.shutdown();
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        running = false;
        log.info("mesh-node listeners stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public int inboundPort() {
        return inboundPort;
    }

    @Override
    public int outboundPort() {
        return outboundPort;
    }

    @Override
    public boolean listening() {
        return listening;
    }

    private static int openConnections(UpstreamPools pools) {
        return pools == null ? 0 : pools.openConnections();
    }

    private static int idleConnections(UpstreamPools pools) {
        return pools == null ? 0 : pools.idleConnections();
    }
}
