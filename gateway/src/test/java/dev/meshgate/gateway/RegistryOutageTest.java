package dev.meshgate.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Discovery through a registry that then fails: the gateway keeps routing to the endpoints it last
 * fetched. The registry is a stand-in speaking Eureka's JSON that the test stops.
 */
class RegistryOutageTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final RecordingUpstream planner = RecordingUpstream.of("planner", "planner-1");
    private static DisposableServer registry;
    private static ConfigurableApplicationContext gateway;
    private static int gatewayPort;

    @BeforeAll
    static void startRegistryAndGateway() {
        registry = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/eureka/apps/", (request, response) ->
                        // no keep-alive: once stopped, the registry must refuse every later poll
                        response.header("content-type", "application/json").header("connection", "close")
                                .sendString(Mono.just(applications(planner.port())))))
                .bindNow();
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0",
                "--mesh.config-server.url=http://127.0.0.1:1",
                "--spring.config.import=file:../src/config-repo/gateway.yml",
                "--mesh.registry.url=http://127.0.0.1:" + registry.port() + "/eureka",
                "--eureka.client.registry-fetch-interval-seconds=1",
                // full fetches only: the stand-in serves no deltas
                "--eureka.client.disable-delta=true");
        gatewayPort = ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
        if (registry != null) {
            registry.disposeNow();
        }
    }

    @Test
    void keepsRoutingToTheLastFetchedEndpointsWhileTheRegistryFails() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/planner/before").statusCode()).isEqualTo(200));

        AtomicLong lastSuccessfulFetch = new AtomicLong(System.nanoTime());
        gateway.addApplicationListener((ApplicationListener<HeartbeatEvent>) fetched ->
                lastSuccessfulFetch.set(System.nanoTime()));
        registry.disposeNow();
        // three polls at 1 s have failed, and the 2 s load-balancer cache has expired meanwhile
        await().atMost(Duration.ofSeconds(15))
                .until(() -> System.nanoTime() - lastSuccessfulFetch.get() > TimeUnit.SECONDS.toNanos(3));

        HttpResponse<String> during = get("/planner/during");
        assertThat(during.statusCode()).isEqualTo(200);
        assertThat(during.body()).isEqualTo("planner-1 saw /during");
    }

    /** The registry's answer to GET /eureka/apps/: one planner node, as a mesh-node registers it. */
    private static String applications(int inboundPort) {
        return """
                {"applications": {"versions__delta": "1", "apps__hashcode": "UP_1_", "application": [
                  {"name": "PLANNER", "instance": [{
                    "instanceId": "planner-1", "hostName": "127.0.0.1", "app": "PLANNER", "ipAddr": "127.0.0.1",
                    "status": "UP", "overriddenStatus": "UNKNOWN", "vipAddress": "planner", "secureVipAddress": "planner",
                    "port": {"$": %d, "@enabled": "true"}, "securePort": {"$": 443, "@enabled": "false"},
                    "countryId": 1,
                    "dataCenterInfo": {"@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name": "MyOwn"},
                    "leaseInfo": {"renewalIntervalInSecs": 5, "durationInSecs": 15},
                    "metadata": {"version": "v1", "zone": "zone-a", "mesh": "true"},
                    "actionType": "ADDED"}]}]}}
                """.formatted(inboundPort);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
