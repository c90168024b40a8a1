package dev.meshgate.config;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The git backend, chosen by setting only {@code mesh.config.git-uri}, against a repository created
 * here: no network. Started the way the launcher starts it (command-line arguments), because the
 * repository's location is only known once the test has created it.
 */
class GitConfigServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path workspace;

    private static Git origin;
    private static ConfigurableApplicationContext server;
    private static int port;

    @BeforeAll
    static void startServerOverALocalGitRepository() throws Exception {
        Path repository = workspace.resolve("origin");
        origin = Git.init().setDirectory(repository.toFile()).setInitialBranch("main").call();
        write(repository.resolve("policies/application.yml"), "mesh:\n  test:\n    shared: from-git\n");
        write(repository.resolve("policies/mesh-node.yml"), "mesh:\n  test:\n    node-only: first\n");
        commit("mesh-wide defaults and a node policy");

        server = new SpringApplicationBuilder(ConfigServerApplication.class).run(
                "--server.port=0",
                "--mesh.config.git-uri=" + repository.toUri(),
                "--mesh.config.git-search-paths=policies",
                "--spring.cloud.config.server.git.basedir=" + workspace.resolve("clone"));
        port = ((WebServerApplicationContext) server).getWebServer().getPort();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void servesTheCommittedFilesFromTheSearchPathAtTheHeadOfMain() throws Exception {
        JsonNode environment = JSON.readTree(get("/mesh-node/default").body());

        assertThat(environment.get("version").asString()).isEqualTo(head().getName());
        JsonNode sources = environment.get("propertySources");
        assertThat(sources.get(0).get("name").asString()).endsWith("policies/mesh-node.yml");
        assertThat(sources.get(1).get("source").get("mesh.test.shared").asString()).isEqualTo("from-git");
    }

    @Test
    void aNewCommitIsServedWithoutARestartAndABrokenOneIsNamedInThe500() throws Exception {
        Path repository = origin.getRepository().getWorkTree().toPath();
        write(repository.resolve("policies/search.yml"), "mesh:\n  test:\n    search: second\n");
        commit("search policy");

        JsonNode environment = JSON.readTree(get("/search/default").body());
        assertThat(environment.get("version").asString()).isEqualTo(head().getName());
        assertThat(environment.get("propertySources").get(0).get("source").get("mesh.test.search").asString())
                .isEqualTo("second");

        write(repository.resolve("policies/calc.yml"), "mesh:\n  test: [unclosed\n");
        commit("a calc policy that is not YAML");
        HttpResponse<String> broken = get("/calc/default");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(broken.body()).get("message").asString())
                .contains("calc.yml")
                .contains("not valid YAML");
        assertThat(get("/search/default").statusCode()).isEqualTo(200);
    }

    @Test
    void reportsHealthyOverTheGitBackend() throws Exception {
        HttpResponse<String> health = get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
    }

    private static RevCommit head() throws Exception {
        return origin.log().setMaxCount(1).call().iterator().next();
    }

    private static void commit(String message) throws Exception {
        origin.add().addFilepattern(".").call();
        origin.commit().setMessage(message).setAuthor("mesh", "mesh@example.org")
                .setCommitter("mesh", "mesh@example.org").setSign(false).call();
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
