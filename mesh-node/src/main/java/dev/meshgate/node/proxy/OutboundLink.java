package dev.meshgate.node.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * The connecting end of a {@link PeerLink}: the one connection of an event loop to a peer node's
 * inbound listener, shared by every exchange of that loop bound there. Exchanges that ask while it is
 * connecting, or while the peer's stream limit is reached, wait in order.
 */
final class OutboundLink extends PeerLink {

    private final UpstreamPool pool;
    private final InetSocketAddress address;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private final Runnable admitWaiting = this::admitWaiting;
    private boolean connected;
    private boolean closed;
    /** The peer sent GOAWAY: no new streams here. */
    private boolean goingAway;
    private int lastStreamProcessable = Integer.MAX_VALUE;
    /** Exchanges holding a stream, or about to open one. */
    private int streams;

    private record Waiter(DownstreamHandler owner, int exchangeId) {
    }

    OutboundLink(UpstreamPool pool, InetSocketAddress address, int maxHeaderListSize) {
        super(Codec.create(false, maxHeaderListSize));
        this.pool = pool;
        this.address = address;
    }

    InetSocketAddress address() {
        return address;
    }

    /** False once the link can open no more streams (closed, or told to go away). */
    boolean usable() {
        return !closed && !goingAway;
    }

    /** A stream for the exchange now, or null: it then arrives through {@code owner}'s callbacks. */
    Upstream open(DownstreamHandler owner, int exchangeId) {
        if (connected && waiting.isEmpty() && hasRoom()) {
            streams++;
            return new Exchange(this, owner);
        }
        waiting.add(new Waiter(owner, exchangeId));
        return null;
    }

    private boolean hasRoom() {
        return streams < connection().local().maxActiveStreams();
    }

    private void admitWaiting() {
        while (connected && usable() && !waiting.isEmpty() && hasRoom()) {
            Waiter next = waiting.poll();
            streams++;
            Exchange exchange = new Exchange(this, next.owner());
            next.owner().onUpstreamConnected(exchange, next.exchangeId());
        }
    }

    private void streamEnded() {
        streams--;
        if (!waiting.isEmpty()) {
            // not from inside the ending exchange's own callbacks
            ctx.executor().execute(admitWaiting);
        }
    }

    /** The connection failed or was lost before the waiting exchanges got a stream. */
    void failWaiting(Throwable cause) {
        Waiter next;
        while ((next = waiting.poll()) != null) {
            next.owner().onUpstreamConnectFailed(address, cause, next.exchangeId());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        connected = true;
        pool.opened();
        admitWaiting();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        pool.forget(this);
        if (connected) {
            pool.linkClosed();
        }
        try {
            super.channelInactive(ctx);
        } finally {
            failWaiting(new ClosedChannelException());
        }
    }

    @Override
    void goAwayReceived(int lastStreamId) {
        goingAway = true;
        lastStreamProcessable = lastStreamId;
        pool.forget(this);
        // the waiting exchanges go to a new link
        Waiter next;
        while ((next = waiting.poll()) != null) {
            Upstream ready = pool.openOnLink(address, next.owner(), next.exchangeId());
            if (ready != null) {
                next.owner().onUpstreamConnected(ready, next.exchangeId());
            }
        }
    }

    @Override
    void idle() {
        if (streams == 0 && waiting.isEmpty()) {
            closeGracefully();
        }
    }

    @Override
    void headersRead(int streamId, Http2Headers headers, boolean endStream) {
        if (exchange(streamId) instanceof Exchange exchange) {
            exchange.headersRead(headers, endStream);
        }
    }

    /** One exchange's stream: the exchange's upstream. */
    private static final class Exchange extends LinkStream implements Upstream {
        private final OutboundLink outbound;
        private DownstreamHandler owner;
        private boolean responseStarted;
        private boolean ended;

        Exchange(OutboundLink link, DownstreamHandler owner) {
            super(link);
            this.outbound = link;
            this.owner = owner;
        }

        @Override
        void writeHeaders(Http2Headers headers, boolean endStream) {
            if (stream == null) {
                int id = outbound.connection().local().incrementAndGetNextStreamId();
                writeHeadersOn(id, headers, endStream);
                stream = outbound.connection().stream(id);
                if (stream == null) {
                    // the link could not open it (closing, or out of stream ids): the exchange learns soon
                    outputEnded = true;
                    outbound.ctx.executor().execute(this::streamClosed);
                    return;
                }
                outbound.attach(stream, this);
                return;
            }
            super.writeHeaders(headers, endStream);
        }

        void headersRead(Http2Headers headers, boolean endStream) {
            outbound.readInThisBatch(this);
            if (responseStarted) {
                inputEnded = true;
                deliver(H2Messages.trailers(headers));
                return;
            }
            HttpResponse response = H2Messages.response(headers, endStream);
            if (response.decoderResult().isSuccess() && response.status().code() < 200) {
                // interim: delivered as the HTTP/1.1 codec would, a head and an empty end
                deliver(response);
                deliver(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            responseStarted = true;
            deliver(response);
            if (endStream) {
                inputEnded = true;
                deliver(LastHttpContent.EMPTY_LAST_CONTENT);
            }
        }

        @Override
        void deliver(Object message) {
            DownstreamHandler current = owner;
            if (current != null) {
                current.onUpstreamMessage(this, message);
            } else {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        void readComplete() {
            DownstreamHandler current = owner;
            if (current != null) {
                current.onUpstreamReadComplete();
            }
        }

        @Override
        void writable() {
            DownstreamHandler current = owner;
            if (current != null) {
                current.onUpstreamWritable();
            }
        }

        @Override
        void streamClosed() {
            DownstreamHandler current = owner;
            if (current != null) {
                owner = null;
                current.onUpstreamClosed(this);
            }
            end();
        }

        private void end() {
            if (!ended) {
                ended = true;
                outbound.streamEnded();
            }
        }

        // ---- Upstream ----

        @Override
        public void finish(boolean reusable) {
            owner = null;
            if (!(inputEnded && outputEnded)) {
                // given up before both sides ended (the client left, or the response came early)
                reset(Http2Error.CANCEL);
            }
            end();
        }

        @Override
        public boolean mayRetry() {
            return refusedByPeer() || (stream != null && stream.id() > outbound.lastStreamProcessable);
        }

        @Override
        public Throwable failure() {
            return resetCode >= 0 ? new IllegalStateException("stream reset by the peer ("
                    + Http2Error.valueOf(resetCode) + ")") : null;
        }
    }
}
