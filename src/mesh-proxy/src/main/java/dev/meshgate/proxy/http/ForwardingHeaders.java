package dev.meshgate.proxy.http;

import dev.meshgate.core.trace.TraceContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * What each hop adds to a request it forwards: the {@code X-Forwarded-*} family, the standard
 * {@code Forwarded} header (RFC 7239), {@code Via}, and a new span in the W3C trace.
 */
public final class ForwardingHeaders {

    public static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    public static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    public static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    public static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    public static final AsciiString TRACEPARENT = AsciiString.cached(TraceContext.TRACEPARENT);
    public static final AsciiString TRACESTATE = AsciiString.cached(TraceContext.TRACESTATE);
    /** Sent on every forwarded message: the protocol spoken to us and who we are (RFC 9110 §7.6.3). */
    public static final AsciiString VIA_VALUE = AsciiString.cached("1.1 mesh-node");
    /**
     * Who calls, as the caller's node names it ({@code <service>/<instance>}): set by the outbound
     * listener over whatever the app sent, read by the callee's node for its caps per caller. Until
     * mutual TLS authenticates peers, a client that reaches an inbound listener directly can claim any name.
     */
    public static final AsciiString MESH_CALLER = AsciiString.cached("x-mesh-caller");

    private ForwardingHeaders() {
    }

    /**
     * Appends this hop to the forwarding headers of a request from {@code client} that arrived over
     * {@code proto}. The original {@code Host} and protocol set by an earlier hop are kept.
     */
    public static void appendHop(HttpHeaders headers, ClientAddress client, String proto) {
        String host = headers.get(HttpHeaderNames.HOST);

        String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwardedFor == null ? client.ip() : forwardedFor + ", " + client.ip());
        if (!headers.contains(X_FORWARDED_PROTO)) {
            headers.set(X_FORWARDED_PROTO, proto);
        }
        if (host != null && !headers.contains(X_FORWARDED_HOST)) {
            headers.set(X_FORWARDED_HOST, host);
        }

        StringBuilder element = new StringBuilder(64);
        String forwarded = headers.get(FORWARDED);
        if (forwarded != null) {
            element.append(forwarded).append(", ");
        }
        element.append("for=").append(client.forwardedNode());
        if (host != null) {
            element.append(";host=");
            appendTokenOrQuoted(element, host);
        }
        element.append(";proto=").append(proto);
        headers.set(FORWARDED, element.toString());

        headers.add(HttpHeaderNames.VIA, VIA_VALUE);
    }

    /**
     * Makes this hop a child span of the incoming {@code traceparent} and sends it on. A request
     * without a valid parent starts a new trace, and its {@code tracestate} (which belonged to the
     * invalid parent) is dropped, as the W3C specification asks. Returns the {@code traceparent} sent.
     */
    public static String continueTrace(HttpHeaders headers) {
        // the node only passes the trace on: header to header, validated once, no ids in between
        String next = TraceContext.childTraceparent(headers.get(TRACEPARENT));
        if (next == null) {
            next = TraceContext.newTraceparent();
            headers.remove(TRACESTATE);
        }
        headers.set(TRACEPARENT, next);
        return next;
    }

    /** RFC 7239 values are tokens or quoted strings; a host with a port (":") must be quoted. */
    static void appendTokenOrQuoted(StringBuilder out, String value) {
        if (isToken(value)) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    private static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean tokenChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tokenChar) {
                return false;
            }
        }
        return true;
    }
}
