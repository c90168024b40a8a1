package dev.meshgate.node.app;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plain HTTP/2 client (prior knowledge, Netty's frame codec) on one connection, for talking to an
 * inbound listener the way a peer node does, or the way a misbehaving one might.
 */
final class H2TestClient implements AutoCloseable {

    /** What came back on one stream: the final head, the body, and the peer's reset code if it reset. */
    record Reply(Http2Headers headers, String body, long resetCode) {
        int status() {
            return Integer.parseInt(headers.status().toString());
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    private H2TestClient(int port) {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                                        // sends what it is given, so the server's own limits are what is tested
                                        .validateHeaders(false).encoderIgnoreMaxHeaderListSize(true).build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                })
                .connect("127.0.0.1", port).syncUninterruptibly().channel();
    }

    static H2TestClient connect(int port) {
        return new H2TestClient(port);
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** Sends {@code headers} (and {@code body}, if any) on a new stream. */
    CompletableFuture<Reply> send(Http2Headers headers, String body) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel)
                .handler(new ReplyCollector(reply))
                .open().syncUninterruptibly().getNow();
        ChannelFutureListener failIfUnsent = written -> {
            if (!written.isSuccess()) {
                reply.completeExceptionally(written.cause());
            }
        };
        if (body == null) {
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true)).addListener(failIfUnsent);
        } else {
            stream.write(new DefaultHttp2HeadersFrame(headers, false)).addListener(failIfUnsent);
            stream.writeAndFlush(new DefaultHttp2DataFrame(
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), true)).addListener(failIfUnsent);
        }
        channel.closeFuture().addListener(closed -> reply.completeExceptionally(
                new IllegalStateException("connection closed")));
        return reply;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class ReplyCollector extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Reply> reply;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Http2Headers head;

        ReplyCollector(CompletableFuture<Reply> reply) {
            this.reply = reply;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame frame) {
                    CharSequence status = frame.headers().status();
                    if (status == null || status.charAt(0) != '1') {
                        head = head == null ? frame.headers() : head;
                    }
                    if (frame.isEndStream()) {
                        done();
                    }
                } else if (msg instanceof Http2DataFrame frame) {
                    ByteBuf content = frame.content();
                    body.writeBytes(ByteBufUtil.getBytes(content));
                    if (frame.isEndStream()) {
                        done();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            // a stream reset arrives as an event, not as a read (it is not flow-controlled)
            if (evt instanceof Http2ResetFrame reset) {
                reply.complete(new Reply(head, body.toString(StandardCharsets.UTF_8), reset.errorCode()));
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            reply.completeExceptionally(new IllegalStateException("stream closed without a complete reply"));
        }

        private void done() {
            reply.complete(new Reply(head, body.toString(StandardCharsets.UTF_8), -1));
        }
    }
}
