package dev.meshgate.proxy.link;

import dev.meshgate.proxy.pool.PoolKey;
import dev.meshgate.proxy.pool.PoolLimitException;
import dev.meshgate.proxy.pool.Upstream;
import dev.meshgate.proxy.pool.UpstreamListener;
import dev.meshgate.proxy.pool.UpstreamPool;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * The connecting end of a {@link PeerLink}: the one connection of an event loop to a peer node's
 * inbound listener, shared by every attempt of that loop bound there. Attempts that ask while it is
 * connecting, or while the peer's stream limit is reached, wait in order, at most
 * {@code maxPending} of them: beyond that an attempt fails at once rather than queue without bound.
 * An attempt given up while waiting (its deadline passed, its client left) leaves the queue.
 */
public final class OutboundLink extends PeerLink {

    private final UpstreamPool pool;
    private final PoolKey key;
    private final int maxPending;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private final Runnable admitWaiting = this::admitWaiting;
    private boolean connected;
    private boolean closed;
    /** The peer sent GOAWAY: no new streams here. */
    private boolean goingAway;
    private int lastStreamProcessable = Integer.MAX_VALUE;
    /** Exchanges holding a stream, or about to open one. */
    private int streams;

    private record Waiter(UpstreamListener owner, int attemptId) {
    }

    public OutboundLink(UpstreamPool pool, PoolKey key, int maxHeaderListSize, int maxPending) {
        super(Codec.create(false, maxHeaderListSize));
        this.pool = pool;
        this.key = key;
        this.maxPending = maxPending;
    }

    public PoolKey key() {
        return key;
    }

    /** False once the link can open no more streams (closed, or told to go away). */
    public boolean usable() {
        return !closed && !goingAway;
    }

    /** A stream for the attempt now, or null: it then arrives through {@code owner}'s callbacks. */
    public Upstream open(UpstreamListener owner, int attemptId) {
        if (connected && waiting.isEmpty() && hasRoom()) {
            streams++;
            return new StreamUpstream(this, owner);
        }
        if (waiting.size() >= maxPending) {
            owner.connectFailed(key.address(), new PoolLimitException("the limit of " + maxPending
                    + " exchanges waiting for a stream of the HTTP/2 link to " + key.authority() + " is reached",
                    maxPending), attemptId);
            return null;
        }
        waiting.add(new Waiter(owner, attemptId));
        return null;
    }

    /** The attempt no longer wants the stream it waits for. */
    public void cancel(UpstreamListener owner, int attemptId) {
        waiting.removeIf(waiter -> waiter.owner() == owner && waiter.attemptId() == attemptId);
    }

    private boolean hasRoom() {
        return streams < connection().local().maxActiveStreams();
    }

    private void admitWaiting() {
        while (connected && usable() && !waiting.isEmpty() && hasRoom()) {
            Waiter next = waiting.poll();
            streams++;
            next.owner().connected(new StreamUpstream(this, next.owner()), next.attemptId());
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
    public void failWaiting(Throwable cause) {
        Waiter next;
        while ((next = waiting.poll()) != null) {
            next.owner().connectFailed(key.address(), cause, next.attemptId());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        connected = true;
        pool.linkOpened();
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
            Upstream ready = pool.openOnLink(key, next.owner(), next.attemptId());
            if (ready != null) {
                next.owner().connected(ready, next.attemptId());
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
        if (exchange(streamId) instanceof StreamUpstream upstream) {
            upstream.headersRead(headers, endStream);
        }
    }

    /** One attempt's stream: the attempt's upstream. */
    private static final class StreamUpstream extends LinkStream implements Upstream {
        private final OutboundLink outbound;
        private UpstreamListener owner;
        private boolean responseStarted;
        private boolean ended;

        StreamUpstream(OutboundLink link, UpstreamListener owner) {
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
            UpstreamListener current = owner;
            if (current != null) {
                current.message(this, message);
            } else {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        void readComplete() {
            UpstreamListener current = owner;
            if (current != null) {
                current.readComplete(this);
            }
        }

        @Override
        void writable() {
            UpstreamListener current = owner;
            if (current != null) {
                current.writable(this);
            }
        }

        @Override
        void streamClosed() {
            UpstreamListener current = owner;
            if (current != null) {
                owner = null;
                current.closed(this);
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
            return refused();
        }

        @Override
        public boolean refused() {
            return refusedByPeer() || (stream != null && stream.id() > outbound.lastStreamProcessable);
        }

        @Override
        public Throwable failure() {
            return resetCode >= 0 ? new IllegalStateException("stream reset by the peer ("
                    + Http2Error.valueOf(resetCode) + ")") : null;
        }
    }
}
