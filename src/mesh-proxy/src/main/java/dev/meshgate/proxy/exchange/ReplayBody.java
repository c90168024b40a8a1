package dev.meshgate.proxy.exchange;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.ArrayDeque;

/**
 * The request body of a try that may be retried, kept (as retained duplicates of the chunks sent,
 * no copy) up to the route's {@code replay-body-limit}, so a retry sends it again whole. A body
 * that outgrows the limit is let go at once and the request is not retried: it streams on with the
 * heap bounded by the limit. Released as soon as no retry can happen (the response has started, the
 * exchange ended). Reused by a connection's successive exchanges.
 */
final class ReplayBody {

    private ArrayDeque<HttpContent> kept;
    private long bytes;
    private int limit;
    private boolean armed;

    /** The first try starts: keep what it sends, up to {@code limit} bytes. */
    void arm(int limit) {
        release();
        this.limit = limit;
        armed = true;
    }

    /** A chunk goes to the upstream: a duplicate stays here, unless the body has outgrown the limit. */
    void keep(HttpContent content) {
        if (!armed || content == LastHttpContent.EMPTY_LAST_CONTENT) {
            // a bodiless request keeps nothing: its retry ends the head as the first try did
            return;
        }
        bytes += content.content().readableBytes();
        if (bytes > limit) {
            release();
            return;
        }
        if (kept == null) {
            kept = new ArrayDeque<>(4);
        }
        kept.add(content.retainedDuplicate());
    }

    /** Whether the whole body sent so far is here to send again. */
    boolean intact() {
        return armed;
    }

    /** Writes the kept body to a retry's upstream; false when there is none (the first try, or no body). */
    boolean replayTo(Attempt attempt) {
        if (!armed || kept == null || kept.isEmpty()) {
            return false;
        }
        HttpContent chunk = null;
        for (HttpContent kept : this.kept) {
            chunk = kept;
            attempt.write(chunk.retainedDuplicate());
        }
        if (!(chunk instanceof LastHttpContent)) {
            attempt.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        return true;
    }

    /** No retry can come any more: the kept chunks go back to the pool. */
    void release() {
        armed = false;
        bytes = 0;
        if (kept != null) {
            HttpContent chunk;
            while ((chunk = kept.poll()) != null) {
                chunk.release();
            }
        }
    }
}
