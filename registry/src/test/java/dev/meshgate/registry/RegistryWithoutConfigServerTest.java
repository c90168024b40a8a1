package dev.meshgate.registry;

import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootContextLoader;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.MergedContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry started before its config server: it serves registrations on its built-in defaults
 * and says so in its health as DEGRADED, which answers 200, so no health check holds back the mesh.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "mesh.config-server.retry-interval=100ms")
@ContextConfiguration(loader = RegistryWithoutConfigServerTest.ClosedConfigServer.class)
class RegistryWithoutConfigServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void startsOnBuiltInDefaultsAndReportsTheConfigServerDegradedWith200() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> health = get("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(health.body());
            assertThat(body.path("status").asString()).isEqualTo("DEGRADED");
            JsonNode configServer = body.path("components").path("configServer");
            assertThat(configServer.path("status").asString()).isEqualTo("DEGRADED");
            assertThat(configServer.path("details").path("url").asString()).startsWith("http://127.0.0.1:");
            assertThat(configServer.path("details").path("configuration").asString()).contains("built-in defaults");
            assertThat(configServer.path("details").path("retryEvery").asString()).isEqualTo("PT0.1S");
            assertThat(configServer.path("details").path("lastError").asString()).contains("/registry/default failed");
        });
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    @Test
    void servesRegistrationsMeanwhile() throws Exception {
        HttpResponse<String> registered = HTTP.send(HttpRequest.newBuilder(uri("/eureka/apps/CALC"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RegistryRestApiTest.nodeRegistration("calc", "calc-9", 15306)))
                .build(), HttpResponse.BodyHandlers.ofString());
        try {
            assertThat(registered.statusCode()).isEqualTo(204);
            HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(uri("/eureka/apps/CALC"))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.body()).contains("calc-9");
        } finally {
            HTTP.send(HttpRequest.newBuilder(uri("/eureka/apps/CALC/calc-9")).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Points the registry at a loopback port nothing listens on. Inlined because the config server
     * import is resolved before any dynamic test property could apply.
     */
    static final class ClosedConfigServer extends SpringBootContextLoader {

        @Override
        protected String[] getInlinedProperties(MergedContextConfiguration config) {
            List<String> properties = new ArrayList<>(Arrays.asList(super.getInlinedProperties(config)));
            properties.add("mesh.config-server.url=http://127.0.0.1:" + FreePorts.closed());
            return properties.toArray(String[]::new);
        }
    }
}
