package dev.meshgate.gateway.fastpath;

import dev.meshgate.core.trace.TraceContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/** Which requests the fast path may take from Gateway, and the pieces of their targets it needs. */
final class FastRequests {

    /** Single-header B3, sent upstream beside W3C traceparent as Gateway's tracing does. */
    static final String B3 = "b3";

    private FastRequests() {
    }

    /** What the fast path can forward as Gateway would; anything else is Gateway's to decide. */
    static boolean eligible(HttpRequest request) {
        if (!request.decoderResult().isSuccess() || request.protocolVersion() != HttpVersion.HTTP_1_1
                || request instanceof LastHttpContent) {
            return false;
        }
        HttpMethod method = request.method();
        if (method == HttpMethod.CONNECT || method == HttpMethod.OPTIONS || method == HttpMethod.TRACE) {
            return false;
        }
        HttpHeaders headers = request.headers();
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        // an offer to switch to h2c is declined by answering in HTTP/1.1, as Gateway's server does
        return (upgrade == null || "h2c".equalsIgnoreCase(upgrade)) && !headers.contains(HttpHeaderNames.EXPECT)
                && !headers.contains(B3) && !headers.contains("x-b3-traceid") && !headers.contains("x-b3-sampled")
                && !headers.contains(TraceContext.TRACESTATE) && !headers.contains("baggage");
    }

    static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
