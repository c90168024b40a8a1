package dev.meshgate.node.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The pipeline of an accepted connection: transport security (the mTLS seam), the HTTP/1.1 server
 * codec with the configured limits, an idle timer for keep-alive connections, and the stack's
 * handler. Every connection joins {@code connections} so shutdown can drain them.
 */
@ChannelHandler.Sharable
final class DownstreamInitializer extends ChannelInitializer<Channel> {

    private final ListenerContext listener;
    private final Function<ListenerContext, DownstreamHandler> handlers;
    private final ChannelGroup connections;
    private final HttpDecoderConfig requestDecoding;
    private final long idleTimeoutNanos;

    DownstreamInitializer(ListenerContext listener, Function<ListenerContext, DownstreamHandler> handlers,
            ChannelGroup connections) {
        this.listener = listener;
        this.handlers = handlers;
        this.connections = connections;
        this.requestDecoding = new HttpDecoderConfig()
                .setMaxInitialLineLength(listener.limits().maxInitialLineLength())
                .setMaxHeaderSize(listener.limits().maxHeaderSize())
                .setMaxChunkSize(DownstreamHandler.MAX_CHUNK_SIZE);
        this.idleTimeoutNanos = listener.limits().idleTimeout().toNanos();
    }

    @Override
    protected void initChannel(Channel channel) {
        connections.add(channel);
        listener.security().secure(channel);
        channel.pipeline().addLast(
                new HttpServerCodec(requestDecoding.clone()),
                new IdleStateHandler(idleTimeoutNanos, 0, 0, TimeUnit.NANOSECONDS),
                handlers.apply(listener));
    }
}
