package dev.meshgate.registry;

import dev.meshgate.core.discovery.InstanceMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's REST API as a mesh-node uses it: register an inbound listener with the JSON a node
 * sends, read it back at once (no response-cache delay), deregister.
 */
// The REST API does not depend on the config server; this keeps the test off whatever listens on
// its default port. Running without it is RegistryWithoutConfigServerTest's subject.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.cloud.config.enabled=false")
class RegistryRestApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @AfterEach
    void deregisterWhateverIsLeft() throws Exception {
        send(HttpRequest.newBuilder(uri("/eureka/apps/SEARCH/search-1")).DELETE());
    }

    @Test
    void aNodeRegistrationIsVisibleAtOnceWithItsMeshMetadataAndGoneAfterDeregistering() throws Exception {
        HttpResponse<String> registered = send(HttpRequest.newBuilder(uri("/eureka/apps/SEARCH"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(nodeRegistration("search", "search-1", 15106))));
        assertThat(registered.statusCode()).isEqualTo(204);

        JsonNode application = JSON.readTree(getJson("/eureka/apps/SEARCH").body()).get("application");
        assertThat(application.get("name").asString()).isEqualTo("SEARCH");
        JsonNode instance = application.get("instance").get(0);
        assertThat(instance.get("instanceId").asString()).isEqualTo("search-1");
        assertThat(instance.get("hostName").asString()).isEqualTo("127.0.0.1");
        assertThat(instance.get("status").asString()).isEqualTo("UP");
        assertThat(instance.get("port").get("$").asInt()).isEqualTo(15106);
        JsonNode metadata = instance.get("metadata");
        assertThat(metadata.get(InstanceMetadata.VERSION).asString()).isEqualTo("v1");
        assertThat(metadata.get(InstanceMetadata.ZONE).asString()).isEqualTo("zone-a");
        assertThat(metadata.get(InstanceMetadata.MESH).asString()).isEqualTo("true");

        assertThat(getJson("/eureka/apps").body()).contains("search-1");

        HttpResponse<String> renewed = send(HttpRequest.newBuilder(uri("/eureka/apps/SEARCH/search-1?status=UP"))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(renewed.statusCode()).isEqualTo(200);

        HttpResponse<String> deregistered = send(HttpRequest.newBuilder(uri("/eureka/apps/SEARCH/search-1")).DELETE());
        assertThat(deregistered.statusCode()).isEqualTo(200);
        assertThat(getJson("/eureka/apps/SEARCH").statusCode()).isEqualTo(404);
    }

    @Test
    void theDeltaListsEachChangeAtOnceWithTheReconcileHashOfTheWholeRegistry() throws Exception {
        // mesh-nodes refresh from /apps/delta: deltas must be enabled and not held back by a response cache
        send(HttpRequest.newBuilder(uri("/eureka/apps/SEARCH"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(nodeRegistration("search", "search-1", 15106))));

        JsonNode added = delta();
        assertThat(deltaAction(added, "search-1")).isEqualTo("ADDED");
        assertThat(added.get("apps__hashcode").asString()).isEqualTo("UP_1_");
        assertThat(JSON.readTree(getJson("/eureka/apps").body()).get("applications").get("apps__hashcode").asString())
                .isEqualTo("UP_1_");

        HttpResponse<String> outOfService = send(HttpRequest.newBuilder(
                uri("/eureka/apps/SEARCH/search-1/status?value=OUT_OF_SERVICE")).PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(outOfService.statusCode()).isEqualTo(200);
        JsonNode modified = delta();
        assertThat(deltaAction(modified, "search-1")).isEqualTo("MODIFIED");
        assertThat(modified.get("apps__hashcode").asString()).isEqualTo("OUT_OF_SERVICE_1_");

        send(HttpRequest.newBuilder(uri("/eureka/apps/SEARCH/search-1")).DELETE());
        JsonNode deleted = delta();
        assertThat(deltaAction(deleted, "search-1")).isEqualTo("DELETED");
        assertThat(deleted.get("apps__hashcode").asString()).isEmpty();
    }

    private JsonNode delta() throws Exception {
        HttpResponse<String> delta = getJson("/eureka/apps/delta");
        assertThat(delta.statusCode()).isEqualTo(200);
        return JSON.readTree(delta.body()).get("applications");
    }

    /** What the delta says happened to the instance; the registry writes one application or instance as an array. */
    private static String deltaAction(JsonNode applications, String instanceId) {
        for (JsonNode application : applications.path("application")) {
            for (JsonNode instance : application.path("instance")) {
                if (instanceId.equals(instance.path("instanceId").asString())) {
                    return instance.path("actionType").asString();
                }
            }
        }
        return null;
    }

    @Test
    void anUnknownApplicationIs404AndTheRegistryReportsHealthy() throws Exception {
        assertThat(getJson("/eureka/apps/NOBODY").statusCode()).isEqualTo(404);
        HttpResponse<String> health = getJson("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).get("status").asString()).isEqualTo("UP");
        HttpResponse<String> metrics = send(HttpRequest.newBuilder(uri("/actuator/prometheus")).GET());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    /** The InstanceInfo JSON a mesh-node registers with (Eureka's wire format, as its own client writes it). */
    static String nodeRegistration(String service, String instanceId, int inboundPort) {
        return """
                {"instance": {
                  "instanceId": "%2$s",
                  "hostName": "127.0.0.1",
                  "app": "%1$s",
                  "ipAddr": "127.0.0.1",
                  "vipAddress": "%1$s",
                  "secureVipAddress": "%1$s",
                  "status": "UP",
                  "port": {"$": %3$d, "@enabled": "true"},
                  "securePort": {"$": 443, "@enabled": "false"},
                  "healthCheckUrl": "http://127.0.0.1:15100/actuator/health",
                  "statusPageUrl": "http://127.0.0.1:15100/actuator/info",
                  "homePageUrl": "http://127.0.0.1:%3$d/",
                  "dataCenterInfo": {
                    "@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo",
                    "name": "MyOwn"
                  },
                  "leaseInfo": {"renewalIntervalInSecs": 5, "durationInSecs": 15},
                  "metadata": {"version": "v1", "zone": "zone-a", "admin-port": "15100",
                               "outbound-port": "15101", "mesh": "true"}
                }}
                """.formatted(service, instanceId, inboundPort);
    }

    private HttpResponse<String> getJson(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
