package dev.meshgate.gateway;

import dev.meshgate.core.trace.TraceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no trace started here recorded (probability 0), the trace context still crosses the gateway
 * for every request: a caller's sampled trace stays sampled, an unsampled one stays unsampled, and a
 * request without one gets a fresh trace id with the sampled flag 0.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml,file:../src/config-repo/gateway.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=0.0"})
class TraceSamplingTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";

    @RegisterExtension
    static final RecordingUpstream planner = RecordingUpstream.of("planner", "planner-1");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        planner.register(registry);
    }

    @Test
    void aCallersSampledTraceIsStillRecordedAndContinued() throws Exception {
        TraceContext upstream = forwardedContext("00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01");

        assertThat(upstream.traceId()).isEqualTo(TRACE_ID);
        assertThat(upstream.spanId()).isNotEqualTo(CALLER_SPAN_ID);
        assertThat(upstream.sampled()).isTrue();
    }

    @Test
    void aCallersUnsampledTraceContinuesUnsampled() throws Exception {
        TraceContext upstream = forwardedContext("00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-00");

        assertThat(upstream.traceId()).isEqualTo(TRACE_ID);
        assertThat(upstream.sampled()).isFalse();
    }

    @Test
    void aRequestWithoutTraceContextStartsAnUnsampledTrace() throws Exception {
        TraceContext first = forwardedContext(null);
        TraceContext second = forwardedContext(null);

        assertThat(first.sampled()).isFalse();
        assertThat(first.traceId()).isNotEqualTo(second.traceId());
    }

    /** Sends one request through the planner route and returns the traceparent the upstream received. */
    private TraceContext forwardedContext(String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/planner/trace"));
        if (traceparent != null) {
            request.header(TraceContext.TRACEPARENT, traceparent);
        }
        HttpResponse<String> response = HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        RecordingUpstream.Received received = planner.next();
        assertThat(received.all(TraceContext.TRACEPARENT)).hasSize(1);
        TraceContext context = TraceContext.parse(received.all(TraceContext.TRACEPARENT).get(0));
        assertThat(context).isNotNull();
        return context;
    }
}
