package dev.meshgate.node.admin;

import dev.meshgate.core.policy.CircuitBreakerPolicy;
import dev.meshgate.node.telemetry.ProxyMetrics;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootContextLoader;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.MergedContextConfiguration;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole node, started with its config server and registry both unreachable: it must start,
 * stay ready (DEGRADED answers 200) and say in its health what it is missing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.node.service=search",
        "mesh.listeners.inbound.port=0",
        "mesh.listeners.outbound.port=0",
        "mesh.registry.request-timeout=500ms"
})
@ContextConfiguration(loader = MeshNodeWithoutControlPlaneTest.ClosedControlPlane.class)
class MeshNodeWithoutControlPlaneTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ConnectionProvider CONNECTIONS = ConnectionProvider.newConnection();
    /** The node's app: serving, so the node is ready whatever the control plane. */
    private static final DisposableServer APP = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) -> response.sendString(Mono.just("app"))).bindNow();

    @Value("${local.server.port}")
    int adminPort;

    @Autowired
    ProxyMetrics metrics;

    @AfterAll
    static void closeClient() {
        CONNECTIONS.dispose();
        APP.disposeNow();
    }

    @Test
    void readinessIsDegradedButAnswers200NamingConfigServerAndRegistry() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Answer readiness = get("/actuator/health/readiness");
            assertThat(readiness.status()).isEqualTo(200);
            JsonNode body = JSON.readTree(readiness.body());
            assertThat(body.path("status").asString()).isEqualTo("DEGRADED");
            JsonNode controlPlane = body.path("components").path("controlPlane");
            assertThat(controlPlane.path("status").asString()).isEqualTo("DEGRADED");
            assertThat(controlPlane.path("details").path("configServer").path("status").asString()).isEqualTo("DEGRADED");
            assertThat(controlPlane.path("details").path("registry").path("lastError").asString()).contains("/eureka/apps");
            assertThat(controlPlane.path("details").path("degraded").toString()).contains("config server:", "registry:");
            assertThat(body.path("components").path("proxy").path("status").asString()).isEqualTo("UP");
            assertThat(body.path("components").path("readinessState").path("status").asString()).isEqualTo("UP");
            assertThat(body.path("components").path("app").path("status").asString()).as("the probed app").isEqualTo("UP");
        });
    }

    @Test
    void livenessIsUp() {
        Answer liveness = get("/actuator/health/liveness");

        assertThat(liveness.status()).isEqualTo(200);
        assertThat(JSON.readTree(liveness.body()).path("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusAnswersWithTheNodesMeters() {
        Answer prometheus = get("/actuator/prometheus");

        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void theOverallHealthIsDegradedNotDown() {
        Answer health = get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        JsonNode body = JSON.readTree(health.body());
        assertThat(body.path("status").asString()).isEqualTo("DEGRADED");
        JsonNode configServer = body.path("components").path("configServer");
        assertThat(configServer.path("status").asString()).isEqualTo("DEGRADED");
        assertThat(configServer.path("details").path("configuration").asString()).contains("built-in defaults");
        // The shared watch replaces the config client's own indicator, which would re-fetch on every check.
        assertThat(body.path("components").has("clientConfigServer")).isFalse();
        // the built-in policy is valid: the policy component is up, whatever the config server
        assertThat(body.path("components").path("policy").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void circuitBreakersShowsEveryBreakerTheNodesCallsHaveMet() {
        metrics.clusters().circuitBreakers().breaker("calc", new CircuitBreakerPolicy(40, null, null, null, null, null, null));

        Answer all = get("/actuator/circuitbreakers");
        assertThat(all.status()).isEqualTo(200);
        JsonNode calc = JSON.readTree(all.body()).path("circuitBreakers").path("calc");
        assertThat(calc.path("state").asString()).isEqualTo("CLOSED");
        assertThat(calc.path("failureRateThreshold").asDouble()).isEqualTo(40.0);
        assertThat(get("/actuator/circuitbreakers/calc").status()).isEqualTo(200);
        assertThat(get("/actuator/circuitbreakers/no-such-breaker").status()).isEqualTo(404);
        assertThat(get("/actuator/prometheus").body()).contains("resilience4j_circuitbreaker_state{name=\"calc\",state=\"closed\"} 1.0");
    }

    private Answer get(String path) {
        return HttpClient.create(CONNECTIONS)
                .get()
                .uri("http://127.0.0.1:" + adminPort + path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), text)))
                .block(Duration.ofSeconds(5));
    }

    private record Answer(int status, String body) {
    }

    /**
     * Points the node at loopback ports nothing listens on. Added as inlined properties because
     * the config server import is resolved before any dynamic test property could apply.
     */
    static final class ClosedControlPlane extends SpringBootContextLoader {

        @Override
        protected String[] getInlinedProperties(MergedContextConfiguration config) {
            List<String> properties = new ArrayList<>(Arrays.asList(super.getInlinedProperties(config)));
            properties.add("mesh.config-server.url=http://127.0.0.1:" + FreePorts.closed());
            properties.add("mesh.registry.url=http://127.0.0.1:" + FreePorts.closed() + "/eureka");
            properties.add("mesh.app.port=" + APP.port());
            return properties.toArray(String[]::new);
        }
    }
}
