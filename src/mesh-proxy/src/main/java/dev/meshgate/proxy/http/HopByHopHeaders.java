package dev.meshgate.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * Removes the headers that describe one connection rather than the message (RFC 9110 §7.6.1), so
 * they do not leak to the next hop. Applied to requests and responses alike.
 *
 * <p>{@code Transfer-Encoding} and {@code Content-Length} stay: the codec re-frames the body on the
 * next connection from them, and dropping them because a {@code Connection} header named them would
 * turn the body into a second message upstream (request smuggling).
 */
public final class HopByHopHeaders {

    public static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private HopByHopHeaders() {
    }

    public static void strip(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
            headers.remove(HttpHeaderNames.CONNECTION);
            for (String value : connection) {
                removeNamedHeaders(headers, value);
            }
        }
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.UPGRADE);
        headers.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        headers.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
        String te = headers.get(HttpHeaderNames.TE);
        if (te != null) {
            if (containsToken(te, HttpHeaderValues.TRAILERS)) {
                headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
            } else {
                headers.remove(HttpHeaderNames.TE);
            }
        }
    }

    private static void removeNamedHeaders(HttpHeaders headers, String connectionValue) {
        int start = 0;
        int length = connectionValue.length();
        while (start < length) {
            int comma = connectionValue.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            String token = connectionValue.substring(start, end).trim();
            if (!token.isEmpty() && !isFraming(token)) {
                headers.remove(token);
            }
            start = end + 1;
        }
    }

    private static boolean isFraming(String name) {
        return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name);
    }

    public static boolean containsToken(String list, CharSequence token) {
        int start = 0;
        int length = list.length();
        while (start < length) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            // a TE element may carry parameters ("trailers;q=1" is not valid, but "gzip;q=0.5" is)
            int semicolon = list.indexOf(';', start);
            int tokenEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
            if (AsciiString.contentEqualsIgnoreCase(list.substring(start, tokenEnd).trim(), token)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
