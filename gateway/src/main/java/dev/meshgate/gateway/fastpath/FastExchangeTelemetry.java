package dev.meshgate.gateway.fastpath;

import dev.meshgate.proxy.http.ProxyError;
import io.netty.handler.codec.http.HttpMethod;

/**
 * What one fast-path exchange leaves behind: Gateway's meters ({@link FastPathMetrics}) and, for a
 * recorded trace, its two spans ({@link RecordedSpans}), each recorded exactly once however the
 * exchange ends. A connection reuses one instance for its successive exchanges.
 */
final class FastExchangeTelemetry {

    private final FastPathMetrics metrics;
    private FastRoute route;
    private HttpMethod method;
    private RecordedSpans spans;
    private long startNanos;
    private int status;
    private boolean recorded;

    FastExchangeTelemetry(FastPathMetrics metrics) {
        this.metrics = metrics;
    }

    void started(FastRoute route, HttpMethod method, RecordedSpans spans) {
        this.route = route;
        this.method = method;
        this.spans = spans;
        this.startNanos = System.nanoTime();
        this.status = 0;
        this.recorded = false;
    }

    /** The upstream's final response head is on its way to the client. */
    void responseHead(int status) {
        this.status = status;
    }

    /** The upstream's response is complete; recorded before its last write, so a client that has its answer finds it counted. */
    void answered() {
        if (recorded) {
            return;
        }
        recorded = true;
        metrics.record(route, method, status, true, System.nanoTime() - startNanos);
        if (spans != null) {
            spans.answered(status);
        }
    }

    /**
     * The engine answered the exchange itself ({@code cutOff}: cut the upstream's response short),
     * with the failure's type named as Gateway's observations name it.
     */
    void failed(ProxyError error, String message, boolean cutOff) {
        if (recorded) {
            return;
        }
        recorded = true;
        String type = exceptionType(error);
        long nanos = System.nanoTime() - startNanos;
        if (cutOff) {
            metrics.record(route, method, status, true, nanos);
        } else {
            status = error.status().code();
            metrics.recordFailure(route, method, status, type, nanos);
        }
        if (spans != null) {
            spans.failed(status, cutOff, type, message);
        }
    }

    /** The client went away first: the spans end with nothing to blame, nothing is timed. */
    void abandoned() {
        if (!recorded) {
            recorded = true;
            if (spans != null) {
                spans.abandoned();
            }
        }
    }

    /** The exception Gateway's chain fails with in the same situation: the {@code error} tag and span attribute. */
    static String exceptionType(ProxyError error) {
        return switch (error) {
            case UPSTREAM_CONNECT_REFUSED -> "AnnotatedConnectException";
            case UPSTREAM_CONNECT_TIMEOUT -> "ConnectTimeoutException";
            case UPSTREAM_CONNECT_FAILED -> "ConnectException";
            case UPSTREAM_TIMEOUT -> "TimeoutException";
            case UPSTREAM_RESET -> "PrematureCloseException";
            case UPSTREAM_BAD_RESPONSE -> "DecoderException";
            case OVERLOADED -> "PoolAcquirePendingLimitException";
            default -> "ProxyException";
        };
    }
}
