package dev.meshgate.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository this project ships ({@code src/config-repo}) as the gateway receives it: every
 * document parses, the routes are under the Gateway 5 property name, and the mesh-wide defaults come
 * after the gateway's own file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "mesh.config.repo=../src/config-repo")
class ShippedConfigRepositoryTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

    @LocalServerPort
    int port;

    @Test
    void servesTheGatewayItsRoutesAndTheMeshWideDefaults() throws Exception {
        HttpResponse<String> response = get("/gateway/default");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode sources = JSON.readTree(response.body()).get("propertySources");
        assertThat(sources.get(0).get("name").asString()).endsWith("config-repo/gateway.yml");
        JsonNode routes = sources.get(0).get("source");
        for (int i = 0; i < 3; i++) {
            String service = routes.get(ROUTES + "[" + i + "].id").asString();
            assertThat(routes.get(ROUTES + "[" + i + "].uri").asString()).isEqualTo("lb://" + service);
            assertThat(routes.get(ROUTES + "[" + i + "].predicates[0]").asString())
                    .isEqualTo("Path=/" + service + "/**");
            assertThat(routes.get(ROUTES + "[" + i + "].filters[0]").asString()).isEqualTo("StripPrefix=1");
        }
        assertThat(routes.propertyNames()).noneMatch(key -> key.startsWith("spring.cloud.gateway.routes"));
        assertThat(sources.get(1).get("name").asString()).endsWith("config-repo/application.yml");
        assertThat(sources.get(1).get("source").get("management.tracing.sampling.probability").asDouble())
                .isEqualTo(1.0);
    }

    @Test
    void everyServiceOfTheDefaultTopologyGetsAParseableEnvironment() throws Exception {
        for (String application : new String[] {"mesh-node", "mesh-node,planner", "mesh-node,search", "mesh-node,calc"}) {
            HttpResponse<String> response = get("/" + application + "/default");
            assertThat(response.statusCode()).as(application + ": " + response.body()).isEqualTo(200);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
