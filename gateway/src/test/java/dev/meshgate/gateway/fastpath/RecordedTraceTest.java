package dev.meshgate.gateway.fastpath;

import dev.meshgate.gateway.LoopbackInstances;
import dev.meshgate.core.trace.TraceContext;
import dev.meshgate.gateway.CapturingSpanExporter;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.meshgate.gateway.LoopbackUpstream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recorded traces take the fast path, which records the spans Gateway's observations would: the
 * server span and, under it, the upstream call whose context the upstream receives. The ratio sampler
 * here records nothing, so a recorded root proves the fast path's one decision is honoured, not drawn
 * again. Requests with {@code tracestate} take Gateway's filter chain, which gives the spans to compare.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml,file:../src/config-repo/gateway.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=1.0"})
class RecordedTraceTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
    private static final BlockingQueue<String> upstreamTraceparents = new LinkedBlockingQueue<>();
    @RegisterExtension
    static final LoopbackUpstream planner = LoopbackUpstream.serving("planner", (request, response) -> {
        upstreamTraceparents.add(request.requestHeaders().get(TraceContext.TRACEPARENT));
        return response.sendString(Mono.just("ok"));
    });

    @LocalServerPort
    int port;

    @Autowired
    FastPath fastPath;

    @Autowired
    SdkTracerProvider tracerProvider;

    @Autowired
    CapturingSpanExporter exporter;

    @TestConfiguration
    static class CapturedSpans {

        @Bean
        @Primary
        Sampler ratioRecordingNothing() {
            return RootSampling.parentBased(0.0);
        }

        @Bean
        CapturingSpanExporter capturingExporter() {
            return new CapturingSpanExporter();
        }
    }

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        planner.register(registry);
        // refused: nothing listens on port 1
        LoopbackInstances.register(registry, "search", () -> 1);
    }

    @BeforeEach
    void forgetEarlierRequests() {
        upstreamTraceparents.clear();
    }

    @Test
    void aTraceStartedAndRecordedHereIsRecordedByTheFastPath() throws Exception {
        long before = fastPath.forwarded();

        assertThat(send("/planner/recorded", Map.of()).statusCode()).isEqualTo(200);

        assertThat(fastPath.forwarded()).isEqualTo(before + 1);
        TraceContext upstream = TraceContext.parse(upstreamTraceparents.poll(5, TimeUnit.SECONDS));
        assertThat(upstream.sampled()).isTrue();
        List<SpanData> spans = spansOf(upstream.traceId());
        SpanData server = only(spans, SpanKind.SERVER);
        SpanData client = only(spans, SpanKind.CLIENT);
        assertThat(server.getName()).isEqualTo("http get");
        assertThat(server.getParentSpanContext().isValid()).isFalse();
        assertThat(client.getName()).isEqualTo("HTTP GET");
        assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(upstream.spanId()).isEqualTo(client.getSpanId());
    }

    @Test
    void aCallersSampledTraceIsRecordedUnderTheCallersSpan() throws Exception {
        String traceId = TraceContext.newTrace().traceId();
        long before = fastPath.forwarded();

        send("/planner/continued", Map.of(TraceContext.TRACEPARENT, "00-" + traceId + "-" + CALLER_SPAN_ID + "-01"));

        assertThat(fastPath.forwarded()).isEqualTo(before + 1);
        TraceContext upstream = TraceContext.parse(upstreamTraceparents.poll(5, TimeUnit.SECONDS));
        assertThat(upstream.traceId()).isEqualTo(traceId);
        List<SpanData> spans = spansOf(traceId);
        SpanData server = only(spans, SpanKind.SERVER);
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN_ID);
        assertThat(only(spans, SpanKind.CLIENT).getSpanId()).isEqualTo(upstream.spanId());
    }

    @Test
    void theFastPathsSpansAreTheSpansGatewayRecords() throws Exception {
        String fastTrace = TraceContext.newTrace().traceId();
        String gatewayTrace = TraceContext.newTrace().traceId();
        long before = fastPath.forwarded();

        send("/planner/same/shape?q=1", Map.of(TraceContext.TRACEPARENT, "00-" + fastTrace + "-" + CALLER_SPAN_ID + "-01"));
        // tracestate is Gateway's to carry on: this one takes the filter chain
        send("/planner/same/shape?q=1", Map.of(TraceContext.TRACEPARENT, "00-" + gatewayTrace + "-" + CALLER_SPAN_ID + "-01",
                TraceContext.TRACESTATE, "vendor=value"));

        assertThat(fastPath.forwarded()).isEqualTo(before + 1);
        List<SpanData> fast = spansOf(fastTrace);
        List<SpanData> gateway = spansOf(gatewayTrace);
        for (SpanKind kind : List.of(SpanKind.SERVER, SpanKind.CLIENT)) {
            SpanData ours = only(fast, kind);
            SpanData theirs = only(gateway, kind);
            assertThat(ours.getName()).isEqualTo(theirs.getName());
            assertThat(attributes(ours)).isEqualTo(attributes(theirs));
            assertThat(ours.getStatus()).isEqualTo(theirs.getStatus());
            assertThat(ours.getInstrumentationScopeInfo()).isEqualTo(theirs.getInstrumentationScopeInfo());
        }
    }

    @Test
    void aRefusedUpstreamIsAnErrorInBothSpans() throws Exception {
        String traceId = TraceContext.newTrace().traceId();
        long before = fastPath.forwarded();

        HttpResponse<String> response = send("/search/anything",
                Map.of(TraceContext.TRACEPARENT, "00-" + traceId + "-" + CALLER_SPAN_ID + "-01"));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(fastPath.forwarded()).isEqualTo(before + 1);
        List<SpanData> spans = spansOf(traceId);
        SpanData server = only(spans, SpanKind.SERVER);
        SpanData client = only(spans, SpanKind.CLIENT);
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attributes(server)).containsEntry("status", "502").containsEntry("outcome", "SERVER_ERROR")
                .containsEntry("exception", "AnnotatedConnectException");
        assertThat(client.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attributes(client)).containsEntry("http.status_code", "UNKNOWN")
                .containsEntry("spring.cloud.gateway.route.id", "search")
                .containsEntry("http.uri", "http://127.0.0.1:" + port + "/anything");
        assertThat(client.getEvents()).extracting(event -> event.getName()).containsExactly("exception");
    }

    private HttpResponse<String> send(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The trace's two spans, once exported (Gateway may end its spans just after the response). */
    private List<SpanData> spansOf(String traceId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            tracerProvider.forceFlush().join(2, TimeUnit.SECONDS);
            return exporter.spansOf(traceId);
        }, spans -> spans.size() >= 2);
    }

    private static SpanData only(List<SpanData> spans, SpanKind kind) {
        List<SpanData> ofKind = spans.stream().filter(span -> span.getKind() == kind).toList();
        assertThat(ofKind).hasSize(1);
        return ofKind.get(0);
    }

    private static Map<String, String> attributes(SpanData span) {
        return span.getAttributes().asMap().entrySet().stream()
                .collect(Collectors.toMap(entry -> entry.getKey().getKey(), entry -> String.valueOf(entry.getValue())));
    }
}
