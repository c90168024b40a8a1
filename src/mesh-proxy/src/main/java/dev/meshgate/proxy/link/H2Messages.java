package dev.meshgate.proxy.link;

import dev.meshgate.proxy.http.HopByHopHeaders;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.Map;

/**
 * Message heads between HTTP/1.1 (apps and clients) and the HTTP/2 link between nodes (RFC 9113 §8.2,
 * §8.3). Connection-specific headers never cross; {@code Host} and {@code :authority} stand for each
 * other; a body of unknown length becomes chunked on the HTTP/1.1 side. Names and values arriving on
 * a link were validated by its header decoder; the request target is checked here, since it becomes
 * an HTTP/1.1 request line.
 */
final class H2Messages {

    private static final AsciiString HTTP = AsciiString.cached("http");
    /** The link's header decoder validated every name and value already: no second pass. */
    private static final HttpHeadersFactory DECODER_VALIDATED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private H2Messages() {
    }

    static Http2Headers requestHead(HttpRequest request) {
        HttpHeaders headers = request.headers();
        Http2Headers out = new DefaultHttp2Headers(false, headers.size() + 4);
        out.method(request.method().asciiName());
        out.scheme(HTTP);
        String host = headers.get(HttpHeaderNames.HOST);
        if (host != null) {
            out.authority(host);
        }
        out.path(request.uri());
        copyFields(headers, out);
        return out;
    }

    static Http2Headers responseHead(HttpResponse response) {
        HttpHeaders headers = response.headers();
        Http2Headers out = new DefaultHttp2Headers(false, headers.size() + 1);
        out.status(response.status().codeAsText());
        copyFields(headers, out);
        return out;
    }

    /** Trailer fields, as the last HEADERS frame of a stream. */
    static Http2Headers trailers(HttpHeaders trailers) {
        Http2Headers out = new DefaultHttp2Headers(false, trailers.size());
        copyFields(trailers, out);
        return out;
    }

    /**
     * The HTTP/1.1 request for a stream's HEADERS frame.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    static HttpRequest request(Http2Headers in, boolean endStream) {
        CharSequence method = in.method();
        CharSequence path = in.path();
        if (method == null || method.length() == 0 || !isToken(method)) {
            throw new IllegalArgumentException("the request has no valid :method");
        }
        if (path == null || path.length() == 0 || !isRequestTarget(path)) {
            throw new IllegalArgumentException("the request has no valid :path");
        }
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method.toString()),
                path.toString(), DECODER_VALIDATED);
        HttpHeaders headers = request.headers();
        CharSequence authority = in.authority();
        if (authority != null) {
            if (!isRequestTarget(authority)) {
                throw new IllegalArgumentException("the request has an invalid :authority");
            }
            headers.set(HttpHeaderNames.HOST, authority);
        }
        copyFields(in, headers);
        frameBody(headers, endStream);
        return request;
    }

    /** The HTTP/1.1 response for a stream's HEADERS frame; a malformed one carries a failed decoder result. */
    static HttpResponse response(Http2Headers in, boolean endStream) {
        HttpResponseStatus status = null;
        CharSequence code = in.status();
        if (code != null && code.length() == 3) {
            try {
                status = HttpResponseStatus.valueOf(AsciiString.of(code).parseInt());
            } catch (NumberFormatException e) {
                status = null;
            }
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                status == null ? HttpResponseStatus.BAD_GATEWAY : status, DECODER_VALIDATED);
        if (status == null || status.code() < 100) {
            response.setDecoderResult(DecoderResult.failure(
                    new IllegalArgumentException("invalid :status " + code)));
            return response;
        }
        copyFields(in, response.headers());
        if (status.code() >= 200) {
            frameBody(response.headers(), endStream);
        }
        return response;
    }

    /** A stream's closing HEADERS frame, as the HTTP/1.1 side's last content with trailer fields. */
    static LastHttpContent trailers(Http2Headers in) {
        LastHttpContent trailers = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        copyFields(in, trailers.trailingHeaders());
        return trailers;
    }

    private static void copyFields(Http2Headers in, HttpHeaders out) {
        for (Map.Entry<CharSequence, CharSequence> field : in) {
            CharSequence name = field.getKey();
            if (name.length() == 0 || name.charAt(0) == ':') {
                continue;
            }
            if (HttpHeaderNames.COOKIE.contentEquals(name)) {
                // HTTP/2 may split cookies into several fields; HTTP/1.1 wants one (RFC 9113 §8.2.3)
                String previous = out.get(HttpHeaderNames.COOKIE);
                out.set(HttpHeaderNames.COOKIE, previous == null ? field.getValue() : previous + "; " + field.getValue());
            } else {
                out.add(name, field.getValue());
            }
        }
    }

    /** A body whose length the HEADERS frame does not state is chunked on the HTTP/1.1 side. */
    private static void frameBody(HttpHeaders headers, boolean endStream) {
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        if (!endStream && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
    }

    private static void copyFields(HttpHeaders in, Http2Headers out) {
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = in.iteratorCharSequence();
        while (fields.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            CharSequence name = field.getKey();
            if (isConnectionSpecific(name)) {
                continue;
            }
            out.add(lowerCase(name), field.getValue());
        }
    }

    private static boolean isConnectionSpecific(CharSequence name) {
        return HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.KEEP_ALIVE.contentEqualsIgnoreCase(name)
                || HopByHopHeaders.PROXY_CONNECTION.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.UPGRADE.contentEqualsIgnoreCase(name);
    }

    private static CharSequence lowerCase(CharSequence name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return AsciiString.of(name).toLowerCase();
            }
        }
        return name;
    }

    private static boolean isToken(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** No whitespace or control characters: it goes into a request line or a Host field as it is. */
    private static boolean isRequestTarget(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
