package dev.meshgate.gateway.fastpath;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** The headers Gateway's {@code RemoveHopByHopHeadersFilter} removes in both directions. */
final class HopByHop {

    private HopByHop() {
    }

    static void remove(HttpHeaders headers) {
        headers.remove(HttpHeaderNames.CONNECTION)
                .remove(HttpHeaderNames.KEEP_ALIVE)
                .remove(HttpHeaderNames.TRANSFER_ENCODING)
                .remove(HttpHeaderNames.TE)
                .remove(HttpHeaderNames.TRAILER)
                .remove(HttpHeaderNames.PROXY_AUTHORIZATION)
                .remove(HttpHeaderNames.PROXY_AUTHENTICATE)
                .remove("x-application-context")
                .remove(HttpHeaderNames.UPGRADE);
    }
}
