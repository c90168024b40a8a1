package dev.meshgate.proxy.http;

import dev.meshgate.core.json.JsonStrings;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * The proxy's own answers, the one error shape of both data planes: a small JSON body
 * {@code {"error": code, "status": n, "message": text, ...fields}} written by hand (no JSON library
 * on the data path).
 */
public final class ErrorResponses {

    public static final Object[] NO_FIELDS = new Object[0];

    private ErrorResponses() {
    }

    /**
     * @param fields name/value pairs added after "message"; a null value is left out, a Number is
     *               written as a JSON number
     */
    public static String json(ProxyError error, String message, Object... fields) {
        return json(error, message, fields, NO_FIELDS);
    }

    /** With {@code context}'s pairs after {@code fields}. */
    public static String json(ProxyError error, String message, Object[] fields, Object[] context) {
        return json(error, error.status(), message, fields, context);
    }

    /** With a status other than the error's own (an injected abort's). */
    public static String json(ProxyError error, HttpResponseStatus status, String message, Object[] fields, Object[] context) {
        StringBuilder out = new StringBuilder(96 + message.length());
        out.append("{\"error\":");
        JsonStrings.appendQuoted(out, error.code());
        out.append(",\"status\":").append(status.code());
        out.append(",\"message\":");
        JsonStrings.appendQuoted(out, message);
        appendFields(out, fields);
        appendFields(out, context);
        return out.append('}').toString();
    }

    private static void appendFields(StringBuilder out, Object[] fields) {
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object value = fields[i + 1];
            if (value == null) {
                continue;
            }
            out.append(',');
            JsonStrings.appendQuoted(out, String.valueOf(fields[i]));
            out.append(':');
            if (value instanceof Number) {
                out.append(value);
            } else {
                JsonStrings.appendQuoted(out, value.toString());
            }
        }
    }

    /**
     * The full response. For a HEAD request the body is left out but its length still announced.
     * {@code close} says whether the connection closes after it; {@code via} adds a mesh hop's {@code Via}.
     */
    public static FullHttpResponse response(ByteBufAllocator allocator, ProxyError error, String json,
            boolean headRequest, boolean close, boolean http10Client, boolean via) {
        return response(allocator, error.status(), json, headRequest, close, http10Client, via);
    }

    /** The full response with {@code status}. */
    public static FullHttpResponse response(ByteBufAllocator allocator, HttpResponseStatus status, String json,
            boolean headRequest, boolean close, boolean http10Client, boolean via) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ByteBuf body = headRequest ? Unpooled.EMPTY_BUFFER : allocator.buffer(bytes.length).writeBytes(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (via) {
            response.headers().add(HttpHeaderNames.VIA, ForwardingHeaders.VIA_VALUE);
        }
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10Client) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return response;
    }
}
