package dev.meshgate.e2e;

import dev.meshgate.launcher.MeshNode;
import dev.meshgate.launcher.RunningTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The default topology doing what the demo promises: routing, discovery, configuration, balancing, tracing, streaming. */
class MeshTopologyIT {

    @RegisterExtension
    static final MeshTopologyExtension MESH = new MeshTopologyExtension();

    private static RunningTopology mesh() {
        return MESH.topology();
    }

    private static JsonNode demo(String... headers) throws Exception {
        HttpResponse<String> response = Http.get(mesh().gatewayUrl() + "/planner/plan?task=demo", headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body());
    }

    @Test
    void theDemoRequestThroughTheGatewayReachesThePlannerAndBothTools() throws Exception {
        JsonNode plan = demo();

        assertThat(plan.path("task").asString()).isEqualTo("demo");
        assertThat(plan.path("planner").path("instance").asString()).isEqualTo("planner-1");
        assertThat(plan.path("planner").path("version").asString()).isEqualTo("v1");
        assertThat(plan.path("search").path("service").asString()).isEqualTo("search");
        assertThat(plan.path("search").path("instance").asString()).isIn("search-1", "search-2");
        assertThat(plan.path("search").path("result").path("query").asString()).isEqualTo("demo");
        assertThat(plan.path("calc").path("service").asString()).isEqualTo("calc");
        assertThat(plan.path("calc").path("instance").asString()).isEqualTo("calc-1");
        assertThat(plan.path("calc").path("result").path("value").asInt()).isEqualTo(15);
    }

    @Test
    void theRegistryListsEveryNodeWithItsInboundPortAndLabels() throws Exception {
        HttpResponse<String> response = Http.get(mesh().registryUrl() + "/eureka/apps", "Accept", "application/json");
        assertThat(response.statusCode()).isEqualTo(200);

        Map<String, JsonNode> instances = new HashMap<>();
        Map<String, String> appOfInstance = new HashMap<>();
        for (JsonNode application : Http.elements(Http.json(response.body()).path("applications").path("application"))) {
            for (JsonNode instance : Http.elements(application.path("instance"))) {
                instances.put(instance.path("instanceId").asString(), instance);
                appOfInstance.put(instance.path("instanceId").asString(), application.path("name").asString());
            }
        }

        assertThat(instances).containsOnlyKeys("planner-1", "search-1", "search-2", "calc-1");
        for (MeshNode node : mesh().nodes()) {
            JsonNode instance = instances.get(node.instanceId());
            assertThat(appOfInstance.get(node.instanceId())).isEqualToIgnoringCase(node.service());
            assertThat(instance.path("status").asString()).isEqualTo("UP");
            assertThat(instance.path("hostName").asString()).isEqualTo("127.0.0.1");
            assertThat(instance.path("port").path("$").asInt()).as(node.instanceId() + " port").isEqualTo(node.inboundPort());
            JsonNode metadata = instance.path("metadata");
            assertThat(metadata.path("version").asString()).isEqualTo(node.version());
            assertThat(metadata.path("zone").asString()).isEqualTo(node.zone());
            assertThat(metadata.path("admin-port").asString()).isEqualTo(String.valueOf(node.adminPort()));
            assertThat(metadata.path("outbound-port").asString()).isEqualTo(String.valueOf(node.outboundPort()));
            assertThat(metadata.path("mesh").asString()).isEqualTo("true");
        }
    }

    @Test
    void theConfigServerServesTheRepositoryFiles() throws Exception {
        JsonNode node = configOf("mesh-node");
        assertThat(sourceNames(node)).anyMatch(name -> name.endsWith("mesh-node.yml"))
                .anyMatch(name -> name.endsWith("application.yml"));
        JsonNode applicationSource = sourceEndingWith(node, "application.yml");
        assertThat(applicationSource.path("management.endpoints.web.exposure.include").asString()).contains("health");

        JsonNode gateway = configOf("gateway");
        JsonNode routes = sourceEndingWith(gateway, "gateway.yml");
        Map<String, String> routeUris = new HashMap<>();
        for (int i = 0; !routes.path("spring.cloud.gateway.server.webflux.routes[" + i + "].id").isMissingNode(); i++) {
            routeUris.put(routes.path("spring.cloud.gateway.server.webflux.routes[" + i + "].id").asString(),
                    routes.path("spring.cloud.gateway.server.webflux.routes[" + i + "].uri").asString());
        }
        assertThat(routeUris).containsEntry("planner", "lb://planner").containsEntry("search", "lb://search")
                .containsEntry("calc", "lb://calc");
    }

    private static JsonNode configOf(String application) throws Exception {
        HttpResponse<String> response = Http.get(mesh().configServerUrl() + "/" + application + "/default");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body());
    }

    private static List<String> sourceNames(JsonNode environment) {
        List<String> names = new ArrayList<>();
        environment.path("propertySources").forEach(source -> names.add(source.path("name").asString()));
        return names;
    }

    private static JsonNode sourceEndingWith(JsonNode environment, String fileName) {
        for (JsonNode source : environment.path("propertySources")) {
            if (source.path("name").asString().endsWith(fileName)) {
                return source.path("source");
            }
        }
        throw new AssertionError("no property source from " + fileName + " in " + sourceNames(environment));
    }

    @Test
    void consecutiveRequestsAlternateBetweenTheTwoSearchInstances() throws Exception {
        List<String> searched = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            searched.add(demo().path("search").path("instance").asString());
        }

        assertThat(searched).containsOnly("search-1", "search-2");
        assertThat(searched.stream().filter("search-1"::equals).count()).as(searched.toString()).isEqualTo(4);
        for (int i = 1; i < searched.size(); i++) {
            assertThat(searched.get(i)).as("request " + (i + 1) + " of " + searched).isNotEqualTo(searched.get(i - 1));
        }
    }

    @Test
    void theTraceIdIsCarriedEndToEndWithANewSpanAtEveryHop() throws Exception {
        String traceId = hex(32);
        String clientSpan = hex(16);

        JsonNode plan = demo("traceparent", "00-" + traceId + "-" + clientSpan + "-01");

        String[] planner = traceparent(plan.path("planner"));
        String[] search = traceparent(plan.path("search"));
        String[] calc = traceparent(plan.path("calc"));
        assertThat(planner[1]).isEqualTo(traceId);
        assertThat(search[1]).isEqualTo(traceId);
        assertThat(calc[1]).isEqualTo(traceId);
        Set<String> spans = new HashSet<>(List.of(clientSpan, planner[2], search[2], calc[2]));
        assertThat(spans).as("span ids of client, planner, search, calc").hasSize(4);
    }

    private static String[] traceparent(JsonNode part) {
        JsonNode header = part.path("traceparent");
        assertThat(header.isString()).as("traceparent received by " + part.path("instance").asString()).isTrue();
        String[] fields = header.asString().split("-");
        assertThat(fields).hasSize(4);
        return fields;
    }

    private static String hex(int digits) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            out.append("0123456789abcdef".charAt(ThreadLocalRandom.current().nextInt(1, 16)));
        }
        return out.toString();
    }

    @Test
    void aStreamedResponseArrivesThroughTheGatewayBeforeItsBodyEnds() throws Exception {
        String hold = UUID.randomUUID().toString();
        HttpResponse<InputStream> response = Http.client().send(HttpRequest.newBuilder(
                        URI.create(mesh().gatewayUrl() + "/planner/stream?chunks=3&hold=" + hold)).timeout(Http.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream body = response.body()) {
            byte[] first = "chunk 1 of 3\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(new String(body.readNBytes(first.length), StandardCharsets.US_ASCII)).isEqualTo("chunk 1 of 3\n");

            // the rest of the body does not exist yet: the workload sends it only once released
            HttpResponse<String> release = Http.get(mesh().node("planner-1").appUrl() + "/release?hold=" + hold);
            assertThat(release.body()).contains("\"waiting\":true");

            assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("chunk 2 of 3\nchunk 3 of 3\n");
        }
    }
}
