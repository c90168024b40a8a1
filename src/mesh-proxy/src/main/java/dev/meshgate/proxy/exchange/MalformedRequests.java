package dev.meshgate.proxy.exchange;

import dev.meshgate.proxy.http.ErrorResponses;
import dev.meshgate.proxy.http.ProxyError;
import dev.meshgate.proxy.listener.ListenerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * The answer to a request head the decoder could not read: 431 for a header block over the
 * listener's limit, 414 for a request line over it, 400 otherwise, each naming the problem; the
 * connection closes after it, since the decoder discards everything after a bad message.
 */
final class MalformedRequests {

    private MalformedRequests() {
    }

    static void reject(HttpRequest malformed, ListenerContext listener, Downstream downstream) {
        Throwable cause = malformed.decoderResult().cause();
        ReferenceCountUtil.release(malformed);
        ExchangeRecorder recorder = listener.recorder();
        long started = recorder.started();
        ProxyError error;
        String message;
        Object[] fields;
        if (cause instanceof TooLongHttpHeaderException) {
            int limit = listener.settings().maxHeaderSize();
            error = ProxyError.HEADERS_TOO_LARGE;
            message = "the request header block exceeds " + limit + " bytes";
            fields = new Object[] {"limit_bytes", limit};
        } else if (cause instanceof TooLongHttpLineException) {
            int limit = listener.settings().maxInitialLineLength();
            error = ProxyError.URI_TOO_LONG;
            message = "the request line exceeds " + limit + " bytes";
            fields = new Object[] {"limit_bytes", limit};
        } else {
            error = ProxyError.BAD_REQUEST;
            message = "malformed request: " + (cause == null ? "unknown decoding error" : cause.getMessage());
            fields = new Object[0];
        }
        recorder.error(error.code());
        recorder.finished(error.status().code(), started);
        FullHttpResponse response = ErrorResponses.response(downstream.alloc(), error,
                ErrorResponses.json(error, message, fields, downstream.errorContext()), false, true, false,
                listener.forwarding().meshHop());
        downstream.writeLast(response, true);
    }
}
