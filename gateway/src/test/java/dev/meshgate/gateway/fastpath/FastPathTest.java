package dev.meshgate.gateway.fastpath;

import dev.meshgate.gateway.LoopbackInstances;
import dev.meshgate.core.trace.TraceContext;
import dev.meshgate.testing.FreePorts;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.meshgate.gateway.LoopbackUpstream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes of the shipped shape with no trace started here recorded (probability 0): requests for them are
 * forwarded by the fast path, with what Gateway's filter chain would send and answer. Instances come
 * from the simple discovery client: planner echoes, search refuses connections, calc has none, and
 * the hung route answers nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=0.0",
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=300ms",
        "mesh.gateway.route-index.enabled=true",
        "spring.cloud.gateway.server.webflux.routes[0].id=planner",
        "spring.cloud.gateway.server.webflux.routes[0].uri=lb://planner",
        "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/planner/**",
        "spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[1].id=search",
        "spring.cloud.gateway.server.webflux.routes[1].uri=lb://search",
        "spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/search/**",
        "spring.cloud.gateway.server.webflux.routes[1].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[2].id=calc",
        "spring.cloud.gateway.server.webflux.routes[2].uri=lb://calc",
        "spring.cloud.gateway.server.webflux.routes[2].predicates[0]=Path=/calc/**",
        "spring.cloud.gateway.server.webflux.routes[2].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[3].id=hung",
        "spring.cloud.gateway.server.webflux.routes[3].uri=lb://hung",
        "spring.cloud.gateway.server.webflux.routes[3].predicates[0]=Path=/hung/**",
        "spring.cloud.gateway.server.webflux.routes[3].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[4].id=decorated",
        "spring.cloud.gateway.server.webflux.routes[4].uri=lb://planner",
        "spring.cloud.gateway.server.webflux.routes[4].predicates[0]=Path=/decorated/**",
        "spring.cloud.gateway.server.webflux.routes[4].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[4].filters[1]=AddRequestHeader=x-decorated,yes"})
class FastPathTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    /** One request as the echoing upstream received it. */
    record Received(String method, String uri, HttpHeaders headers, String body) {
    }

    private static final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    @RegisterExtension
    static final LoopbackUpstream planner = LoopbackUpstream.serving("planner", (request, response) ->
            request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(body -> {
                received.add(new Received(request.method().name(), request.uri(), request.requestHeaders().copy(), body));
                return response.header("content-type", "text/plain").header("connection", "keep-alive")
                        .sendString(Mono.just("planner saw " + request.uri() + " " + body)).then();
            }));
    @RegisterExtension
    static final LoopbackUpstream hung = LoopbackUpstream.serving("hung", (request, response) -> Mono.never());
    private static int deadSearchPort;

    @LocalServerPort
    int port;

    @Autowired
    FastPath fastPath;

    @Autowired
    MeterRegistry meters;

    @BeforeAll
    static void startUpstreams() {
        deadSearchPort = FreePorts.closed();
    }

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        planner.register(registry);
        LoopbackInstances.register(registry, "search", () -> deadSearchPort);
        hung.register(registry);
    }

    @BeforeEach
    void forgetEarlierRequests() {
        received.clear();
    }

    @Test
    void forwardsTheShippedRouteShapeItselfWithGatewaysHeaders() throws Exception {
        long before = fastPath.forwarded();

        HttpResponse<String> response = get("/planner/plans/42?depth=2");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("planner saw /plans/42?depth=2 ");
        assertThat(fastPath.forwarded()).isEqualTo(before + 1);
        Received upstream = next();
        assertThat(upstream.uri()).isEqualTo("/plans/42?depth=2");
        assertThat(upstream.headers().get("host")).isEqualTo("127.0.0.1:" + planner.port());
        TraceContext context = TraceContext.parse(upstream.headers().get(TraceContext.TRACEPARENT));
        assertThat(context.sampled()).isFalse();
        assertThat(upstream.headers().get("b3")).isEqualTo(context.traceId() + "-" + context.spanId() + "-0");
    }

    @Test
    void continuesACallersUnrecordedTrace() throws Exception {
        long before = fastPath.forwarded();

        send(request("/planner/t").header(TraceContext.TRACEPARENT, "00-" + TRACE_ID + "-00f067aa0ba902b7-00"));

        assertThat(fastPath.forwarded()).isEqualTo(before + 1);
        TraceContext context = TraceContext.parse(next().headers().get(TraceContext.TRACEPARENT));
        assertThat(context.traceId()).isEqualTo(TRACE_ID);
        assertThat(context.spanId()).isNotEqualTo("00f067aa0ba902b7");
        assertThat(context.sampled()).isFalse();
    }

    @Test
    void aCallersRecordedTraceIsForwardedHereAndStaysRecorded() throws Exception {
        long before = fastPath.forwarded();

        send(request("/planner/t").header(TraceContext.TRACEPARENT, "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));

        // its spans are recorded here (RecordedTraceTest), not by Gateway's filter chain
        assertThat(fastPath.forwarded()).isEqualTo(before + 1);
        TraceContext context = TraceContext.parse(next().headers().get(TraceContext.TRACEPARENT));
        assertThat(context.traceId()).isEqualTo(TRACE_ID);
        assertThat(context.spanId()).isNotEqualTo("00f067aa0ba902b7");
        assertThat(context.sampled()).isTrue();
    }

    @Test
    void streamsRequestBodiesOfEitherFraming() throws Exception {
        HttpResponse<String> sized = send(HttpRequest.newBuilder(uri("/planner/echo")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("sized body")));
        assertThat(sized.body()).isEqualTo("planner saw /echo sized body");
        assertThat(next().headers().get("content-length")).isEqualTo("10");

        byte[] chunk = "chunked body".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = send(HttpRequest.newBuilder(uri("/planner/echo")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(chunk))));
        assertThat(chunked.body()).isEqualTo("planner saw /echo chunked body");
        assertThat(next().body()).isEqualTo("chunked body");
    }

    @Test
    void manyRequestsShareKeptAliveConnections() throws Exception {
        long before = fastPath.forwarded();
        for (int i = 0; i < 20; i++) {
            assertThat(get("/planner/n/" + i).body()).isEqualTo("planner saw /n/" + i + " ");
        }
        assertThat(fastPath.forwarded()).isEqualTo(before + 20);
    }

    @Test
    void aRefusedConnectionIsGateways502() throws Exception {
        long before = fastPath.forwarded();

        HttpResponse<String> response = get("/search/query?q=mesh");

        assertThat(fastPath.forwarded()).isEqualTo(before + 1);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(502);
        assertThat(body.get("service").asString()).isEqualTo("search");
        assertThat(body.get("upstream").asString()).isEqualTo("127.0.0.1:" + deadSearchPort);
        assertThat(body.get("message").asString()).isEqualTo(
                "upstream 127.0.0.1:" + deadSearchPort + " of service 'search' refused the connection");
        assertThat(body.get("path").asString()).isEqualTo("/search/query");
        assertThat(body.get("requestId").asString()).isNotEmpty();
    }

    @Test
    void anUpstreamThatDoesNotAnswerIsGateways504() throws Exception {
        HttpResponse<String> response = get("/hung/wait");

        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("service").asString()).isEqualTo("hung");
        assertThat(body.get("error").asString()).isEqualTo("upstream_timeout");
        assertThat(body.get("message").asString()).endsWith("did not answer within the request timeout of 300 ms");
        assertThat(get("/planner/after-timeout").statusCode()).isEqualTo(200);
    }

    @Test
    void aServiceWithoutInstanceIsLeftToGatewaysLoadBalancer() throws Exception {
        long before = fastPath.forwarded();

        HttpResponse<String> response = get("/calc/sum");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).get("message").asString())
                .isEqualTo("no instance of service 'calc' is available");
        assertThat(fastPath.forwarded()).isEqualTo(before);
    }

    @Test
    void aRouteWithOtherFiltersTakesGatewaysFilterChain() throws Exception {
        long before = fastPath.forwarded();

        assertThat(get("/decorated/x").statusCode()).isEqualTo(200);

        assertThat(next().headers().get("x-decorated")).isEqualTo("yes");
        assertThat(fastPath.forwarded()).isEqualTo(before);
    }

    @Test
    void oversizedHeadersAre431AndTheActuatorAndUnroutedPathsStayGateways() throws Exception {
        assertThat(send(request("/planner/big").header("x-oversized", "a".repeat(20_000))).statusCode()).isEqualTo(431);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
        assertThat(get("/planner/after").statusCode()).isEqualTo(200);
    }

    @Test
    void recordsGatewaysMeters() throws Exception {
        assertThat(get("/planner/measured").statusCode()).isEqualTo(200);
        get("/search/measured");

        assertThat(meters.find(FastPathMetrics.SERVER_REQUESTS).tag("status", "200").timer()).isNotNull();
        assertThat(meters.find(FastPathMetrics.UPSTREAM_REQUESTS)
                .tag("spring.cloud.gateway.route.id", "planner").tag("http.status.code", "200").timer().count())
                .isPositive();
        assertThat(meters.find(FastPathMetrics.GATEWAY_REQUESTS).tag("routeId", "planner").tag("status", "OK").timer())
                .isNotNull();
        // the failed exchange is recorded with the type of its failure as the error
        assertThat(meters.find(FastPathMetrics.UPSTREAM_REQUESTS).tag("spring.cloud.gateway.route.id", "search")
                .timers()).extracting(timer -> timer.getId().getTag("error"))
                .isNotEmpty().allMatch(error -> error.endsWith("Exception"), "an exception type");
    }

    @Test
    void everyFilterOfTheRunningGatewayIsOnTheAllowList(@Autowired ObjectProvider<GlobalFilter> globalFilters,
            @Autowired ObjectProvider<WebFilter> webFilters) {
        List<Object> filters = Stream.concat(globalFilters.orderedStream(), webFilters.orderedStream())
                .map(Object.class::cast).toList();

        assertThat(filters).extracting(filter -> filter.getClass().getName())
                .as("the global and web filters of a running gateway").isNotEmpty();
        assertThat(FastPathAutoConfiguration.foreignFilters(filters)).isNull();
    }

    private static Received next() throws InterruptedException {
        Received next = received.poll(5, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the upstream received no request within 5 s");
        }
        return next;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
