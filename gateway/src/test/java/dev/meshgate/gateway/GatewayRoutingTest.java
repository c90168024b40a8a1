package dev.meshgate.gateway;

import dev.meshgate.core.trace.TraceContext;
import dev.meshgate.gateway.route.RouteRefreshOnChange;
import dev.meshgate.gateway.route.RouteTableBinding;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteRefreshListener;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway with the routes shipped in the config repository ({@code src/config-repo/gateway.yml}),
 * started while the config server and the registry are both unreachable. Instances come from the
 * simple discovery client: planner is a real upstream, search an endpoint nothing listens on, calc
 * has no instance at all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml,file:../src/config-repo/gateway.yml",
        "server.address=127.0.0.1",
        // every trace that starts here is recorded, so a started trace is seen as sampled
        "management.tracing.sampling.probability=1.0"})
class GatewayRoutingTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";

    @RegisterExtension
    static final RecordingUpstream planner = RecordingUpstream.of("planner", "planner-1");
    private static int deadSearchPort;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startUpstreams() {
        deadSearchPort = FreePorts.closed();
    }

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        planner.register(registry);
        LoopbackInstances.register(registry, "search", () -> deadSearchPort);
    }

    @Test
    void routesByServiceNameAndStripsTheServicePrefix() throws Exception {
        HttpResponse<String> response = get("/planner/plans/42?depth=2");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("planner-1 saw /plans/42?depth=2");
        assertThat(planner.next().uri()).isEqualTo("/plans/42?depth=2");
    }

    @Test
    void aPathNoRouteMatchesIsA404SayingSo() throws Exception {
        HttpResponse<String> response = get("/nowhere/at/all");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asString()).isEqualTo("no_route");
        assertThat(body.get("message").asString()).isEqualTo("no route matches GET /nowhere/at/all");
        assertThat(body.get("path").asString()).isEqualTo("/nowhere/at/all");
    }

    @Test
    void continuesTheCallersTraceWithItsOwnSpan() throws Exception {
        HttpResponse<String> response = send(request("/planner/trace")
                .header(TraceContext.TRACEPARENT, "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01"));

        assertThat(response.statusCode()).isEqualTo(200);
        RecordingUpstream.Received received = planner.next();
        assertThat(received.all(TraceContext.TRACEPARENT)).hasSize(1);
        TraceContext upstreamContext = TraceContext.parse(received.all(TraceContext.TRACEPARENT).get(0));
        assertThat(upstreamContext).isNotNull();
        assertThat(upstreamContext.traceId()).isEqualTo(TRACE_ID);
        assertThat(upstreamContext.spanId()).isNotEqualTo(CALLER_SPAN_ID);
        assertThat(upstreamContext.sampled()).isTrue();
        assertThat(received.headers().get("b3")).startsWith(TRACE_ID + "-" + upstreamContext.spanId());
    }

    @Test
    void startsATraceWhenTheCallerSentNone() throws Exception {
        assertThat(get("/planner/fresh").statusCode()).isEqualTo(200);

        RecordingUpstream.Received received = planner.next();
        assertThat(received.all(TraceContext.TRACEPARENT)).hasSize(1);
        TraceContext upstreamContext = TraceContext.parse(received.all(TraceContext.TRACEPARENT).get(0));
        assertThat(upstreamContext).isNotNull();
        assertThat(upstreamContext.sampled()).isTrue();
    }

    @Test
    void aServiceWithNoInstanceIs503NamingTheService() throws Exception {
        HttpResponse<String> response = get("/calc/sum?a=1&b=2");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("service").asString()).isEqualTo("calc");
        assertThat(body.get("message").asString()).isEqualTo("no instance of service 'calc' is available");
        assertThat(body.get("path").asString()).isEqualTo("/calc/sum");
    }

    @Test
    void anUpstreamThatRefusesTheConnectionIs502NamingIt() throws Exception {
        HttpResponse<String> response = get("/search/query?q=mesh");

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("service").asString()).isEqualTo("search");
        assertThat(body.get("upstream").asString()).isEqualTo("127.0.0.1:" + deadSearchPort);
        assertThat(body.get("message").asString()).contains("refused the connection");
        // the failed exchange is recorded as an error and no longer counted as in flight
        List<String> searchMeters = get("/actuator/prometheus").body().lines()
                .filter(line -> line.startsWith("gateway_upstream_requests"))
                .filter(line -> line.contains("spring_cloud_gateway_route_id=\"search\""))
                .toList();
        assertThat(searchMeters).anyMatch(line -> line.startsWith("gateway_upstream_requests_seconds_count{")
                && line.contains("error=\"AnnotatedConnectException\""));
        assertThat(searchMeters).filteredOn(line -> line.startsWith("gateway_upstream_requests_active_seconds_count{"))
                .allMatch(line -> line.endsWith("} 0"));
    }

    @Test
    void requestHeadersOverTheLimitAre431AndNeverReachTheUpstream() throws Exception {
        HttpResponse<String> response = send(request("/planner/big").header("x-oversized", "a".repeat(20_000)));

        assertThat(response.statusCode()).isEqualTo(431);
        assertThat(get("/planner/after").statusCode()).isEqualTo(200);
        assertThat(planner.next().uri()).isEqualTo("/after");
    }

    @Test
    void routesAreRebuiltOnConfigurationChangesNotOnEveryRegistryFetch(ApplicationContext context) {
        assertThat(context.getBeansOfType(RouteRefreshListener.class)).isEmpty();
        assertThat(context.getBeansOfType(RouteRefreshOnChange.class)).hasSize(1);
    }

    @Test
    void theShippedRouteFileIsBoundInOnePass(ApplicationContext context) {
        int routes = context.getBean(GatewayProperties.class).getRoutes().size();

        assertThat(routes).isGreaterThanOrEqualTo(3);
        assertThat(context.getBean(RouteTableBinding.class).lastBoundInOnePass()).isEqualTo(routes);
    }

    @Test
    void aPathNoRouteMatchesIs404() throws Exception {
        assertThat(get("/nowhere/at/all").statusCode()).isEqualTo(404);
    }

    @Test
    void staysReadyWithoutConfigServerAndRegistryAndShowsItsRoutes() throws Exception {
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        JsonNode routes = JSON.readTree(get("/actuator/gateway/routes").body());
        assertThat(routes.findValuesAsString("route_id")).contains("planner", "search", "calc");
        assertThat(routes.findValuesAsString("uri")).contains("lb://planner", "lb://search", "lb://calc");
        assertThat(get("/planner/measured").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus").body())
                .contains("http_server_requests_seconds")
                .contains("gateway_upstream_requests_seconds_count{")
                .contains("spring_cloud_gateway_route_id=\"planner\"");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
