package dev.meshgate.proxy.listener;

import dev.meshgate.proxy.EngineSettings;
import dev.meshgate.proxy.http.ProxyError;
import dev.meshgate.proxy.link.InboundLink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of an accepted connection: transport security (the mTLS seam), an idle timer for
 * keep-alive connections, the request-head timeout, then the HTTP/1.1 server codec with the
 * configured limits and an {@link Http1Connection}. A listener that accepts peer links tells the two
 * protocols apart by the first bytes: the HTTP/2 connection preface (prior knowledge, as peer nodes
 * send it) makes the connection an {@link InboundLink}; anything else is HTTP/1.1. Every connection
 * joins {@code connections} so shutdown can drain them.
 */
@ChannelHandler.Sharable
public final class ListenerInitializer extends ChannelInitializer<Channel> {

    /** What a client speaking HTTP/2 with prior knowledge sends first (RFC 9113 §3.4). */
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ListenerContext listener;
    private final ChannelGroup connections;
    private final HttpDecoderConfig requestDecoding;
    private final long idleTimeoutNanos;
    private final long headTimeoutNanos;
    private final Runnable countHeadTimeout;
    private final boolean acceptsPeerLinks;

    public ListenerInitializer(ListenerContext listener, ChannelGroup connections, boolean acceptsPeerLinks) {
        this.listener = listener;
        this.connections = connections;
        this.acceptsPeerLinks = acceptsPeerLinks;
        EngineSettings settings = listener.settings();
        this.requestDecoding = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxInitialLineLength())
                .setMaxHeaderSize(settings.maxHeaderSize())
                .setMaxChunkSize(EngineSettings.MAX_CHUNK_SIZE);
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
        this.headTimeoutNanos = settings.requestHeadTimeout().toNanos();
        this.countHeadTimeout = () -> listener.recorder().error(ProxyError.REQUEST_HEAD_TIMEOUT.code());
    }

    @Override
    protected void initChannel(Channel channel) {
        connections.add(channel);
        listener.security().secure(channel);
        ChannelPipeline pipeline = channel.pipeline();
        RequestHeadTimeout headTimeout = new RequestHeadTimeout(headTimeoutNanos, countHeadTimeout);
        pipeline.addLast(new IdleStateHandler(idleTimeoutNanos, 0, 0, TimeUnit.NANOSECONDS), headTimeout);
        if (acceptsPeerLinks) {
            pipeline.addLast(new ProtocolSniffer(headTimeout));
        } else {
            pipeline.addLast(new HttpServerCodec(requestDecoding.clone()), new Http1Connection(listener, headTimeout));
        }
    }

    /** Waits for enough of the first bytes to tell HTTP/2 prior knowledge from HTTP/1.1, then steps aside. */
    private final class ProtocolSniffer extends ByteToMessageDecoder {
        private final RequestHeadTimeout headTimeout;

        ProtocolSniffer(RequestHeadTimeout headTimeout) {
            this.headTimeout = headTimeout;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int length = Math.min(in.readableBytes(), PREFACE.length);
            boolean prefaceSoFar = true;
            for (int i = 0; i < length && prefaceSoFar; i++) {
                prefaceSoFar = in.getByte(in.readerIndex() + i) == PREFACE[i];
            }
            if (prefaceSoFar && length < PREFACE.length) {
                return;
            }
            ChannelPipeline pipeline = ctx.pipeline();
            if (prefaceSoFar) {
                // a peer link: long-lived, its streams bounded by flow control and the exchanges' deadlines
                pipeline.remove(headTimeout);
                pipeline.addAfter(ctx.name(), null, new InboundLink(listener));
            } else {
                pipeline.addAfter(ctx.name(), null, new Http1Connection(listener, headTimeout));
                pipeline.addAfter(ctx.name(), null, new HttpServerCodec(requestDecoding.clone()));
            }
            pipeline.remove(this);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent || evt == Http1Connection.DRAIN) {
                // nothing has been said yet: nothing to finish
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }
    }
}
