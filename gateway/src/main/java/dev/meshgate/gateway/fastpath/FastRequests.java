package dev.meshgate.gateway.fastpath;

import dev.meshgate.core.trace.TraceContext;
import dev.meshgate.proxy.exchange.Destination;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;

import java.net.InetSocketAddress;

/** Which requests the fast path may take from Gateway, and what it sends upstream in Gateway's place. */
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

    /** The Host Gateway's client sends: the upstream's authority, without the default port. */
    static String upstreamHost(Destination to) {
        return to.address().getPort() == 80 ? to.address().getHostString() : to.upstream();
    }

    /**
     * The URL Gateway's client span reports for the upstream call: the request's own scheme and
     * authority (WebFlux builds them from the Host header) with the rewritten path.
     */
    static String requestUrl(ChannelHandlerContext ctx, HttpHeaders headers, String target) {
        String host = headers.get(HttpHeaderNames.HOST);
        if (host == null && ctx.channel().localAddress() instanceof InetSocketAddress local) {
            host = local.getHostString() + ":" + local.getPort();
        }
        return (ctx.pipeline().get(SslHandler.class) != null ? "https://" : "http://") + host + target;
    }
}
