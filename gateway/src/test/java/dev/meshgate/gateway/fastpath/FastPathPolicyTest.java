package dev.meshgate.gateway.fastpath;

import org.junit.jupiter.api.Test;
import dev.meshgate.gateway.LoopbackUpstream;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path runs the mesh's engine, so a service's policy applies to its routes as it does inside
 * the mesh: the route is matched on the path the upstream sees (after StripPrefix), its timeout bounds
 * the exchange, and a route declared a stream has none.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=0.0",
        // as the config repository's gateway.yml exposes it
        "management.endpoints.web.exposure.include=health,circuitbreakers",
        "mesh.policy.services.reports.request-timeout=250ms",
        "mesh.policy.services.reports.routes[0].name=events",
        "mesh.policy.services.reports.routes[0].path-prefix=/events",
        "mesh.policy.services.reports.routes[0].stream=true",
        "mesh.policy.services.reports.routes[1].name=quarterly",
        "mesh.policy.services.reports.routes[1].path-prefix=/quarterly",
        "mesh.policy.services.reports.routes[1].request-timeout=150ms",
        "mesh.policy.services.reports.routes[2].name=teapot",
        "mesh.policy.services.reports.routes[2].path-prefix=/teapot",
        "mesh.policy.services.reports.routes[2].fault.abort.status=418",
        "mesh.policy.services.broken.retries.attempts=1",
        "mesh.policy.services.broken.circuit-breaker.sliding-window=2",
        "mesh.policy.services.broken.circuit-breaker.minimum-calls=2",
        "mesh.policy.services.broken.circuit-breaker.wait-in-open=60s",
        "spring.cloud.gateway.server.webflux.routes[0].id=reports",
        "spring.cloud.gateway.server.webflux.routes[0].uri=lb://reports",
        "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/reports/**",
        "spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[1].id=pair",
        "spring.cloud.gateway.server.webflux.routes[1].uri=lb://pair",
        "spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/pair/**",
        "spring.cloud.gateway.server.webflux.routes[1].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[2].id=broken",
        "spring.cloud.gateway.server.webflux.routes[2].uri=lb://broken",
        "spring.cloud.gateway.server.webflux.routes[2].predicates[0]=Path=/broken/**",
        "spring.cloud.gateway.server.webflux.routes[2].filters[0]=StripPrefix=1"})
class FastPathPolicyTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int DEAD_PORT = FreePorts.closed();
    /** Answers /events after 600 ms (beyond the service's timeout), never answers /quarterly, answers the rest at once. */
    @RegisterExtension
    static final LoopbackUpstream reports = LoopbackUpstream.serving("reports", (request, response) -> {
        if (request.uri().startsWith("/events")) {
            return response.sendString(Mono.delay(Duration.ofMillis(600)).map(tick -> "late but whole"));
        }
        if (request.uri().startsWith("/quarterly")) {
            return Mono.never();
        }
        return response.sendString(Mono.just("at once"));
    });

    /** Fails every request: its breaker opens after two. */
    @RegisterExtension
    static final LoopbackUpstream broken = LoopbackUpstream.serving("broken",
            (request, response) -> response.status(500).sendString(Mono.just("broken")));

    @LocalServerPort
    int port;

    @Autowired
    FastPath fastPath;

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        reports.register(registry);
        broken.register(registry);
        // two instances of "pair": the first refuses connections, the second is the reports server
        registry.add("spring.cloud.discovery.client.simple.instances.pair[0].uri", () -> "http://127.0.0.1:" + DEAD_PORT);
        registry.add("spring.cloud.discovery.client.simple.instances.pair[1].uri", () -> "http://127.0.0.1:" + reports.port());
    }

    @Test
    void theRoutesOwnTimeoutAnswers504() throws Exception {
        long before = fastPath.forwarded();

        HttpResponse<String> response = get("/reports/quarterly/q3");

        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asString()).isEqualTo("upstream_timeout");
        assertThat(body.get("timeout_ms").asInt()).isEqualTo(150);
        assertThat(body.get("timeout").asString()).as("which timeout fired").isEqualTo("request");
        assertThat(body.get("path").asString()).isEqualTo("/reports/quarterly/q3");
        assertThat(fastPath.forwarded()).as("served by the fast path").isEqualTo(before + 1);
    }

    @Test
    void aStreamRouteHasNoTimeout() throws Exception {
        HttpResponse<String> response = get("/reports/events");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("late but whole");
    }

    @Test
    void otherPathsAnswerWithinTheServicesTimeout() throws Exception {
        HttpResponse<String> response = get("/reports/today");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("at once");
    }

    @Test
    void aTryThatCannotConnectGoesToTheOtherInstanceWhateverTheMethod() throws Exception {
        long before = fastPath.forwarded();
        int retried = 0;
        for (int i = 0; i < 6; i++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pair/today"))
                    .timeout(Duration.ofSeconds(10));
            HttpResponse<String> response = HTTP.send(i % 2 == 0 ? request.GET().build()
                    : request.POST(HttpRequest.BodyPublishers.ofString("order")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("at once");
            if (response.headers().firstValue("x-mesh-attempts").orElse("1").equals("2")) {
                retried++;
            }
        }
        // the first refusal goes again to the other instance and ejects the refusing one
        assertThat(retried).as("requests that met the refusing instance").isEqualTo(1);
        assertThat(fastPath.forwarded()).as("served by the fast path").isEqualTo(before + 6);
    }

    @Test
    void aServicesCircuitBreakerOpensAtTheEdgeAndRefusesAtOnce() throws Exception {
        assertThat(get("/broken/a").statusCode()).isEqualTo(500);
        assertThat(get("/broken/b").statusCode()).isEqualTo(500);

        HttpResponse<String> refused = get("/broken/c");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        JsonNode body = JSON.readTree(refused.body());
        assertThat(body.get("error").asString()).isEqualTo("circuit_open");
        assertThat(body.get("breaker").asString()).isEqualTo("broken");
        HttpResponse<String> breakers = get("/actuator/circuitbreakers");
        assertThat(JSON.readTree(breakers.body()).path("circuitBreakers").path("broken").path("state").asString())
                .as(breakers.body()).isEqualTo("OPEN");
    }

    @Test
    void aRoutesFaultPolicyAbortsAtTheEdgeWithoutCallingTheService() throws Exception {
        HttpResponse<String> aborted = get("/reports/teapot/1");

        assertThat(aborted.statusCode()).isEqualTo(418);
        assertThat(aborted.headers().firstValue("x-mesh-fault")).hasValue("abort");
        JsonNode body = JSON.readTree(aborted.body());
        assertThat(body.get("error").asString()).isEqualTo("fault_injected");
        assertThat(body.get("route").asString()).isEqualTo("teapot");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
