package dev.meshgate.proxy.pool;

import dev.meshgate.proxy.EngineSettings;
import dev.meshgate.proxy.link.OutboundLink;
import dev.meshgate.proxy.transport.TransportSecurity;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The connection pools of one kind of upstream (the local app, or peer nodes), one per event loop.
 * The kind decides the transport security of its connections and the cap on how many are open.
 */
public final class UpstreamPools {

    private final Class<? extends Channel> socketChannelType;
    private final EngineSettings settings;
    private final ChannelHandler upstreamInitializer;
    private final TransportSecurity security;
    private final ConnectionBudget budget;
    private final ConcurrentHashMap<EventLoop, UpstreamPool> byLoop = new ConcurrentHashMap<>();

    /**
     * @param socketChannelType the transport of the event loops that use these pools (epoll or NIO)
     * @param budget            caps the connections open to this kind of upstream, across every event loop
     */
    public UpstreamPools(Class<? extends Channel> socketChannelType, EngineSettings settings,
            TransportSecurity security, ConnectionBudget budget) {
        this.socketChannelType = socketChannelType;
        this.budget = budget;
        this.settings = settings;
        this.security = security;
        this.upstreamInitializer = new UpstreamInitializer(security, settings);
    }

    /** The pool of {@code loop}, created on first use; a downstream connection looks it up once. */
    public UpstreamPool forLoop(EventLoop loop) {
        UpstreamPool pool = byLoop.get(loop);
        return pool != null ? pool : byLoop.computeIfAbsent(loop, this::newPool);
    }

    private UpstreamPool newPool(EventLoop loop) {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(socketChannelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(upstreamInitializer);
        return new UpstreamPool(loop, bootstrap, this::linkPipeline, settings.maxHeaderSize() * 2,
                settings.maxPendingStreams(), budget, settings.maxIdleConnectionsPerEndpoint(),
                settings.idleTimeout().toNanos());
    }

    /** The pipeline of a link to a peer node: transport security, an idle timer, the link. */
    private ChannelHandler linkPipeline(OutboundLink link) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                security.secure(channel);
                channel.pipeline().addLast(
                        new IdleStateHandler(0, 0, settings.idleTimeout().toNanos(), TimeUnit.NANOSECONDS),
                        link);
            }
        };
    }

    public int openConnections() {
        int sum = 0;
        for (UpstreamPool pool : byLoop.values()) {
            sum += pool.openConnections();
        }
        return sum;
    }

    public int idleConnections() {
        int sum = 0;
        for (UpstreamPool pool : byLoop.values()) {
            sum += pool.idleConnections();
        }
        return sum;
    }

    public void shutdown() {
        for (UpstreamPool pool : byLoop.values()) {
            pool.shutdown();
        }
    }

    @ChannelHandler.Sharable
    private final class UpstreamInitializer extends ChannelInitializer<Channel> {
        private final TransportSecurity security;
        private final HttpDecoderConfig responseDecoding;

        UpstreamInitializer(TransportSecurity security, EngineSettings settings) {
            this.security = security;
            this.responseDecoding = new HttpDecoderConfig()
                    .setMaxInitialLineLength(settings.maxInitialLineLength())
                    // responses carry cookies and the like: allow them twice the request header budget
                    .setMaxHeaderSize(settings.maxHeaderSize() * 2)
                    .setMaxChunkSize(EngineSettings.MAX_CHUNK_SIZE);
        }

        @Override
        protected void initChannel(Channel channel) {
            security.secure(channel);
            UpstreamPool pool = forLoop(channel.eventLoop());
            channel.pipeline().addLast(
                    new HttpClientCodec(responseDecoding.clone(), false, false),
                    new UpstreamConnection(pool));
        }
    }
}
