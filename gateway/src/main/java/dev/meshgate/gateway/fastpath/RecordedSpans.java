package dev.meshgate.gateway.fastpath;

import dev.meshgate.core.trace.TraceContext;
import io.netty.handler.codec.http.HttpMethod;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.springframework.http.HttpStatus;

import java.util.Locale;

/**
 * The two spans a recorded trace gets at the edge, recorded by the fast path with the names, kinds,
 * parents and attributes Gateway's observations give them: the server span ({@code http get}, WebFlux's
 * {@code http.server.requests} convention) and, as its child, the upstream call ({@code HTTP GET},
 * Gateway's client convention), whose context is what the upstream receives. A recorded trace then
 * costs two spans, not Gateway's whole filter chain.
 */
final class RecordedSpans {

    private static final AttributeKey<String> EXCEPTION = AttributeKey.stringKey("exception");
    private static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("method");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    private static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");
    private static final AttributeKey<String> URI = AttributeKey.stringKey("uri");
    private static final AttributeKey<String> CLIENT_METHOD = AttributeKey.stringKey("http.method");
    private static final AttributeKey<String> CLIENT_STATUS = AttributeKey.stringKey("http.status_code");
    private static final AttributeKey<String> CLIENT_URI = AttributeKey.stringKey("http.uri");
    private static final AttributeKey<String> ROUTE_ID = AttributeKey.stringKey("spring.cloud.gateway.route.id");
    private static final AttributeKey<String> ROUTE_URI = AttributeKey.stringKey("spring.cloud.gateway.route.uri");
    private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    private static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    private static final String UNKNOWN = "UNKNOWN";

    private final Span server;
    private final Span client;
    private final String method;
    private final String path;
    private final String upstreamUri;

    private RecordedSpans(Span server, Span client, String method, String path, String upstreamUri) {
        this.server = server;
        this.client = client;
        this.method = method;
        this.path = path;
        this.upstreamUri = upstreamUri;
    }

    /**
     * Starts both spans: under the caller's sampled span, or as the root of a trace the edge decided
     * to record ({@code caller} null), which the sampler must then record rather than draw again.
     */
    static RecordedSpans start(Tracer tracer, HttpMethod method, String path, TraceContext caller,
            FastRoute route, String upstreamUri) {
        String name = method.name();
        SpanBuilder serverSpan = tracer.spanBuilder("http " + name.toLowerCase(Locale.ROOT)).setSpanKind(SpanKind.SERVER);
        Span server;
        if (caller != null) {
            SpanContext remote = SpanContext.createFromRemoteParent(caller.traceId(), caller.spanId(),
                    TraceFlags.getSampled(), TraceState.getDefault());
            server = serverSpan.setParent(Context.root().with(Span.wrap(remote))).startSpan();
        } else {
            server = RootSampling.recordedRoot(serverSpan.setNoParent()::startSpan);
        }
        Span client = tracer.spanBuilder("HTTP " + name).setSpanKind(SpanKind.CLIENT)
                .setParent(Context.root().with(server)).startSpan();
        client.setAttribute(ROUTE_ID, route.id());
        client.setAttribute(ROUTE_URI, route.uri());
        return new RecordedSpans(server, client, name, path, upstreamUri);
    }

    /** The context sent upstream: the upstream call's span, as Gateway's client observation sends it. */
    TraceContext upstreamContext() {
        SpanContext context = client.getSpanContext();
        return new TraceContext(context.getTraceId(), context.getSpanId(), server.getSpanContext().getSpanId(),
                context.getTraceFlags().asByte());
    }

    /** The upstream answered with {@code status}, and the response was passed on whole. */
    void answered(int status) {
        String code = String.valueOf(status);
        endClient(code);
        endServer(code, outcome(status), "none");
    }

    /**
     * The exchange failed: {@code status} is what the client was told (the upstream's own status when
     * its response was cut short), {@code error} the failure's type as Gateway's observations name it.
     */
    void failed(int status, boolean upstreamAnswered, String error, String message) {
        Attributes exception = Attributes.of(EXCEPTION_TYPE, error, EXCEPTION_MESSAGE, message);
        String code = String.valueOf(status);
        client.setStatus(StatusCode.ERROR, message);
        client.addEvent("exception", exception);
        endClient(upstreamAnswered ? code : UNKNOWN);
        server.setStatus(StatusCode.ERROR, message);
        server.addEvent("exception", exception);
        endServer(code, outcome(status), error);
    }

    /** The client went away before its answer: nothing failed that the spans could blame. */
    void abandoned() {
        endClient(UNKNOWN);
        endServer(UNKNOWN, UNKNOWN, "none");
    }

    private void endClient(String status) {
        client.setAttribute(CLIENT_METHOD, method);
        client.setAttribute(CLIENT_STATUS, status);
        client.setAttribute(CLIENT_URI, upstreamUri);
        client.end();
    }

    private void endServer(String status, String outcome, String exception) {
        server.setAttribute(EXCEPTION, exception);
        server.setAttribute(HTTP_URL, path);
        server.setAttribute(METHOD, method);
        server.setAttribute(OUTCOME, outcome);
        server.setAttribute(STATUS, status);
        server.setAttribute(URI, UNKNOWN);
        server.end();
    }

    private static String outcome(int status) {
        return FastPathMetrics.serverOutcome(HttpStatus.Series.resolve(status));
    }
}
