package dev.meshgate.gateway;

import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway started before its config server: it comes up on built-in defaults (no routes), says
 * so in its health (configServer DEGRADED, answered 200), and picks up its routes as soon as the config server answers, without a restart.
 * Started from arguments because the config server's address must be fixed before start-up.
 */
class ConfigServerRecoveryTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes[0].";

    @RegisterExtension
    static final RecordingUpstream planner = RecordingUpstream.of("planner", "planner-1");
    private static int configServerPort;
    private static DisposableServer configServer;
    private static ConfigurableApplicationContext gateway;
    private static int gatewayPort;

    @BeforeAll
    static void startGatewayWhileTheConfigServerIsDown() {
        configServerPort = FreePorts.closed();
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0",
                "--mesh.config-server.url=http://127.0.0.1:" + configServerPort,
                "--mesh.config-server.retry-interval=200ms",
                "--eureka.client.enabled=false",
                "--spring.cloud.discovery.client.simple.instances.planner[0].uri=http://127.0.0.1:" + planner.port());
        gatewayPort = ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
        if (configServer != null) {
            configServer.disposeNow();
        }
    }

    @Test
    void startsOnDefaultsReportsItAndLoadsTheRoutesOnceTheConfigServerAnswers() throws Exception {
        assertThat(get("/planner/plans").statusCode()).isEqualTo(404);
        HttpResponse<String> degraded = get("/actuator/health");
        // Serving on defaults is degraded, not down: health checks keep passing while the edge waits.
        assertThat(degraded.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(degraded.body()).get("status").asString()).isEqualTo("DEGRADED");
        JsonNode link = JSON.readTree(degraded.body()).get("components").get("configServer");
        assertThat(link.get("status").asString()).isEqualTo("DEGRADED");
        assertThat(link.get("details").get("url").asString()).isEqualTo("http://127.0.0.1:" + configServerPort);
        assertThat(link.get("details").get("configuration").asString()).contains("built-in defaults");
        assertThat(link.get("details").get("retryEvery").asString()).isEqualTo("PT0.2S");
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        configServer = HttpServer.create().host("127.0.0.1").port(configServerPort)
                .route(routes -> routes.get("/gateway/default", (request, response) ->
                        response.header("content-type", "application/json").sendString(Mono.just(environment()))))
                .bindNow();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(get("/planner/plans").statusCode()).isEqualTo(200));
        assertThat(planner.next().uri()).isEqualTo("/plans");
        HttpResponse<String> healthy = get("/actuator/health");
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(healthy.body()).get("status").asString()).isEqualTo("UP");
        JsonNode recovered = JSON.readTree(healthy.body()).get("components").get("configServer");
        assertThat(recovered.get("status").asString()).isEqualTo("UP");
        assertThat(recovered.get("details").get("documents").get(0).asString()).isEqualTo("configserver:gateway.yml");
        assertThat(JSON.readTree(healthy.body()).get("components").has("clientConfigServer")).isFalse();
    }

    /**
     * What a config server answers for the gateway: one route, as gateway.yml would define it. No
     * version, as from a repository on disk.
     */
    private static String environment() {
        return """
                {"name": "gateway", "profiles": ["default"], "label": null, "version": null, "state": null,
                 "propertySources": [{"name": "gateway.yml", "source": {
                   "%1$sid": "planner",
                   "%1$suri": "lb://planner",
                   "%1$spredicates[0]": "Path=/planner/**",
                   "%1$sfilters[0]": "StripPrefix=1"}}]}
                """.formatted(ROUTES);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
