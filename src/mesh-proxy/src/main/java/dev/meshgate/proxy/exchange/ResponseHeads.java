package dev.meshgate.proxy.exchange;

import dev.meshgate.proxy.http.ForwardingHeaders;
import dev.meshgate.proxy.http.HopByHopHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Turns an upstream's final response head into the client's: hop-by-hop headers out, this hop's
 * {@code Via} in, and the body's framing made right for the client (HTTP/1.0 knows no chunked coding;
 * a body delimited by the upstream closing its connection is re-framed as chunked).
 */
final class ResponseHeads {

    /** Bits of {@link #prepare}'s answer. */
    static final int UPSTREAM_REUSABLE = 1;
    static final int CLOSE_AFTER = 2;

    private ResponseHeads() {
    }

    /**
     * @param keepAlive false when the client connection closes after this response anyway
     * @param via       adds this hop's {@code Via} (a mesh hop's convention)
     * @return {@link #UPSTREAM_REUSABLE} when the upstream connection may serve another exchange,
     *         {@link #CLOSE_AFTER} when the client connection must close after the response
     */
    static int prepare(HttpResponse response, boolean headRequest, boolean clientHttp10, boolean keepAlive,
            boolean via) {
        int code = response.status().code();
        boolean upstreamReusable = HttpUtil.isKeepAlive(response);
        boolean closeAfter = false;
        HttpHeaders headers = response.headers();
        boolean mayHaveBody = !headRequest && code != 204 && code != 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean delimitedByClose = mayHaveBody && !chunked && !HttpUtil.isContentLengthSet(response);
        if (delimitedByClose) {
            upstreamReusable = false;
        }
        HopByHopHeaders.strip(headers);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (clientHttp10) {
            // an HTTP/1.0 client knows no chunked coding: the body ends when the connection does
            if (chunked) {
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
                closeAfter = true;
            }
            if (delimitedByClose) {
                closeAfter = true;
            }
        } else if (delimitedByClose) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (!keepAlive) {
            closeAfter = true;
        }
        if (closeAfter) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (via) {
            headers.add(HttpHeaderNames.VIA, ForwardingHeaders.VIA_VALUE);
        }
        return (upstreamReusable ? UPSTREAM_REUSABLE : 0) | (closeAfter ? CLOSE_AFTER : 0);
    }

    /** An interim response (100 Continue, 103 Early Hints) as the client gets it. */
    static void prepareInterim(HttpResponse response) {
        HopByHopHeaders.strip(response.headers());
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
}
