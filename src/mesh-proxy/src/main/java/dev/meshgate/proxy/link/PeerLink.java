package dev.meshgate.proxy.link;

import dev.meshgate.proxy.http.ForwardingHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;

/**
 * One HTTP/2 connection between two nodes (prior knowledge, no upgrade), carrying many exchanges at
 * once. It handles frames on the connection itself, with one small {@link LinkStream} per exchange
 * rather than a channel per stream: the gain over HTTP/1.1 is that the requests and responses of
 * many exchanges share each read and each write, and a pipeline per stream would spend it again.
 *
 * <p>Writes are flushed once per event-loop iteration ({@link #flushSoon}), after every connection
 * that was ready in it has been served, so one {@code writev} carries whatever those produced.
 *
 * <p>Flow control is per stream: bytes an exchange is not ready to take stay unacknowledged, so a
 * peer can have at most {@link #STREAM_WINDOW} bytes of a stream and {@link #CONNECTION_WINDOW} of
 * the connection waiting here.
 */
abstract class PeerLink extends Http2ConnectionHandler {

    static final int STREAM_WINDOW = 256 * 1024;
    static final int CONNECTION_WINDOW = 4 * 1024 * 1024;
    static final int MAX_CONCURRENT_STREAMS = 512;
    static final long GRACEFUL_CLOSE_MILLIS = 30_000;

    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

    private final Http2Connection.PropertyKey streamKey;
    private final ArrayList<LinkStream> readInThisBatch = new ArrayList<>();
    private final Runnable flushTask = this::flushNow;
    private boolean flushScheduled;
    private boolean connectionWindowOpened;
    ChannelHandlerContext ctx;

    /** The codec's parts, built before the handler: its constructor needs them. */
    record Codec(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {

        static Codec create(boolean server, int maxHeaderListSize) {
            Http2Connection connection = new DefaultHttp2Connection(server);
            connection.local().flowController(new DefaultHttp2LocalFlowController(connection,
                    DefaultHttp2LocalFlowController.DEFAULT_WINDOW_UPDATE_RATIO, false));
            connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection, wholeFrames(connection)));
            // a traceparent is new at every hop: indexing it would only churn the HPACK table
            Http2ConnectionEncoder encoder = new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter(
                    (name, value) -> ForwardingHeaders.TRACEPARENT.contentEqualsIgnoreCase(name)));
            DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(
                    new DefaultHttp2HeadersDecoder(true, true, maxHeaderListSize));
            Http2ConnectionDecoder decoder = new DefaultHttp2ConnectionDecoder(connection, encoder, reader);
            Http2Settings settings = new Http2Settings()
                    .initialWindowSize(STREAM_WINDOW)
                    .maxHeaderListSize(maxHeaderListSize);
            if (server) {
                settings.maxConcurrentStreams(MAX_CONCURRENT_STREAMS);
            } else {
                settings.pushEnabled(false);
            }
            return new Codec(decoder, encoder, settings);
        }

        /**
         * Hands each stream with data queued a whole frame per turn. Netty's default distributor gives
         * each active stream about 1 KB per turn, so with many exchanges in flight a large body left as
         * dozens of DATA frames, each one more buffer for both nodes to write, read and pass on (the
         * figures are in docs/architecture.md).
         */
        private static UniformStreamByteDistributor wholeFrames(Http2Connection connection) {
            UniformStreamByteDistributor distributor = new UniformStreamByteDistributor(connection);
            distributor.minAllocationChunk(Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE);
            return distributor;
        }
    }

    PeerLink(Codec codec) {
        super(codec.decoder(), codec.encoder(), codec.settings());
        // closing sends GOAWAY and waits this long for the streams in flight (the node's own drain
        // timeout closes what is left earlier); built without Netty's builder, the default would be 0
        gracefulShutdownTimeoutMillis(GRACEFUL_CLOSE_MILLIS);
        streamKey = connection().newKey();
        codec.decoder().frameListener(new Frames());
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                LinkStream exchange = stream.getProperty(streamKey);
                if (exchange != null) {
                    exchange.streamClosed();
                }
            }

            @Override
            public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
                goAwayReceived(lastStreamId);
            }
        });
        codec.encoder().flowController().listener(stream -> {
            LinkStream exchange = stream.getProperty(streamKey);
            if (exchange != null && encoder().flowController().isWritable(stream)) {
                exchange.writable();
            }
        });
    }

    // ---- what the two ends do differently ----

    /** A HEADERS frame: a new request (accepting end), a response (connecting end), or trailers. */
    abstract void headersRead(int streamId, Http2Headers headers, boolean endStream) throws Http2Exception;

    /** The peer will open no stream above {@code lastStreamId}: streams above it were never processed. */
    void goAwayReceived(int lastStreamId) {
    }

    /**
     * GOAWAY now, and the connection closes once the streams in flight are done. Through the
     * channel, not this handler's context: only a close that passes this handler is graceful.
     */
    public final void closeGracefully() {
        ctx.channel().close();
    }

    /** Nothing has moved for the idle timeout. */
    void idle() {
        if (connection().numActiveStreams() == 0) {
            closeGracefully();
        }
    }

    // ---- shared by both ends ----

    final void attach(Http2Stream stream, LinkStream exchange) {
        stream.setProperty(streamKey, exchange);
    }

    final LinkStream exchange(int streamId) {
        Http2Stream stream = connection().stream(streamId);
        return stream == null ? null : stream.getProperty(streamKey);
    }

    /** {@code exchange} got something in this read: it hears {@link LinkStream#readComplete} after it. */
    final void readInThisBatch(LinkStream exchange) {
        if (!exchange.inReadBatch) {
            exchange.inReadBatch = true;
            readInThisBatch.add(exchange);
        }
    }

    /** Flushes after the event loop has served every connection ready in this iteration. */
    final void flushSoon() {
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        if (ctx.channel().isActive()) {
            flush(ctx);
        }
    }

    /** A bug in one exchange ends its stream, not the link and every other exchange on it. */
    private void streamFailed(int streamId, RuntimeException e) {
        log.warn("exchange on stream {} of {} failed", streamId, ctx.channel(), e);
        LinkStream exchange = exchange(streamId);
        if (exchange != null) {
            exchange.reset(Http2Error.INTERNAL_ERROR);
        } else {
            resetStream(ctx, streamId, Http2Error.INTERNAL_ERROR.code(), ctx.voidPromise());
            flushSoon();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (!readInThisBatch.isEmpty()) {
            // an index, not an iterator: nothing is added to the list while its exchanges flush
            for (int i = 0; i < readInThisBatch.size(); i++) {
                LinkStream exchange = readInThisBatch.get(i);
                exchange.inReadBatch = false;
                exchange.readComplete();
            }
            readInThisBatch.clear();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            idle();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    private final class Frames extends Http2FrameAdapter {

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) throws Http2Exception {
            headers(streamId, headers, endOfStream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
            headers(streamId, headers, endOfStream);
        }

        private void headers(int streamId, Http2Headers headers, boolean endOfStream) throws Http2Exception {
            try {
                headersRead(streamId, headers, endOfStream);
            } catch (RuntimeException e) {
                streamFailed(streamId, e);
            }
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            LinkStream exchange = exchange(streamId);
            if (exchange == null) {
                return data.readableBytes() + padding;
            }
            try {
                return exchange.dataRead(data, padding, endOfStream);
            } catch (RuntimeException e) {
                streamFailed(streamId, e);
                return data.readableBytes() + padding;
            }
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            LinkStream exchange = exchange(streamId);
            if (exchange != null) {
                exchange.resetCode = errorCode;
            }
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
            if (!connectionWindowOpened) {
                // after the first SETTINGS both prefaces are done: a WINDOW_UPDATE may follow
                connectionWindowOpened = true;
                decoder().flowController().incrementWindowSize(connection().connectionStream(),
                        CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
            }
        }
    }
}
