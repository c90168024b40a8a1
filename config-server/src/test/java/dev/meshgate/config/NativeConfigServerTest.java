package dev.meshgate.config;

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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The default backend: a config repository on local disk, served with no network and no profile to set. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "mesh.config.repo=target/test-classes/config-repo")
class NativeConfigServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void servesTheServiceFileAndTheMeshWideDefaultsMostSpecificFirst() throws Exception {
        HttpResponse<String> response = get("/mesh-node/default");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode environment = JSON.readTree(response.body());
        assertThat(environment.get("name").asString()).isEqualTo("mesh-node");
        List<String> sourceNames = new ArrayList<>();
        environment.get("propertySources").forEach(source -> sourceNames.add(source.get("name").asString()));
        assertThat(sourceNames).hasSize(2);
        assertThat(sourceNames.get(0)).endsWith("config-repo/mesh-node.yml");
        assertThat(sourceNames.get(1)).endsWith("config-repo/application.yml");
        assertThat(environment.get("propertySources").get(0).get("source").get("mesh.test.node-only").asString())
                .isEqualTo("from-mesh-node");
        assertThat(environment.get("propertySources").get(1).get("source").get("mesh.test.shared").asString())
                .isEqualTo("from-application");
    }

    @Test
    void aServiceWithoutItsOwnFileStillGetsTheMeshWideDefaults() throws Exception {
        HttpResponse<String> response = get("/calc/default");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sources = JSON.readTree(response.body()).get("propertySources");
        assertThat(sources).hasSize(1);
        assertThat(sources.get(0).get("name").asString()).endsWith("config-repo/application.yml");
    }

    @Test
    void aDocumentThatIsNotYamlIsA500NamingTheFileAndTheLineAndTheServerKeepsServing() throws Exception {
        HttpResponse<String> broken = get("/broken/default");

        assertThat(broken.statusCode()).isEqualTo(500);
        JsonNode error = JSON.readTree(broken.body());
        assertThat(error.get("message").asString())
                .contains("broken.yml")
                .contains("line 4")
                .contains("not valid YAML");
        assertThat(error.get("application").asString()).isEqualTo("broken");
        assertThat(get("/mesh-node/default").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health").body()).contains("\"UP\"");
    }

    @Test
    void exposesHealthInfoAndPrometheus() throws Exception {
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/info").body()).contains("config-server");
        assertThat(get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
