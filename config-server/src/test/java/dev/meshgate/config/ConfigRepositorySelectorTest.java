package dev.meshgate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigRepositorySelectorTest {

    private final ConfigRepositorySelector selector = new ConfigRepositorySelector();

    @Test
    void withoutAGitUriServesTheRepositoryOnDiskResolvedAgainstTheWorkingDirectory() {
        // the module's tests run in config-server/, where the shipped repository is ../src/config-repo
        MockEnvironment environment = new MockEnvironment().withProperty("mesh.config.repo", "../src/config-repo");

        selector.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getActiveProfiles()).containsExactly("native");
        String expected = Path.of("..", "src", "config-repo").toAbsolutePath().normalize().toUri().toString();
        assertThat(environment.getProperty("spring.cloud.config.server.native.search-locations"))
                .isEqualTo(expected)
                .endsWith("/src/config-repo/");
    }

    @Test
    void anAbsoluteRepositoryPathIsServedAsADirectory(@TempDir Path repository) {
        MockEnvironment environment = new MockEnvironment().withProperty("mesh.config.repo", repository.toString());

        selector.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.cloud.config.server.native.search-locations"))
                .isEqualTo(repository.toUri().toString());
    }

    @Test
    void aRepositoryThatIsNotADirectoryStopsStartUpWithAnActionableReport(@TempDir Path workspace) {
        Path missing = workspace.resolve("no-such-repo");
        MockEnvironment environment = new MockEnvironment().withProperty("mesh.config.repo", missing.toString());

        assertThatThrownBy(() -> selector.postProcessEnvironment(environment, new SpringApplication()))
                .isInstanceOfSatisfying(ConfigRepositoryNotFoundException.class, failure -> {
                    FailureAnalysis analysis = new ConfigRepositoryNotFoundFailureAnalyzer().analyze(failure);
                    assertThat(analysis.getDescription()).contains(missing.toString()).contains("not a directory");
                    assertThat(analysis.getAction()).contains("--mesh.config.repo=").contains("--mesh.config.git-uri=");
                });
    }

    @Test
    void aGitUriSelectsTheGitBackendClonedAtStartOnMain() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("mesh.config.git-uri", "https://git.example.org/mesh/policies.git")
                .withProperty("mesh.config.git-search-paths", "prod,shared");

        selector.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getActiveProfiles()).containsExactly("git");
        assertThat(environment.getProperty("spring.cloud.config.server.git.uri"))
                .isEqualTo("https://git.example.org/mesh/policies.git");
        assertThat(environment.getProperty("spring.cloud.config.server.git.clone-on-start")).isEqualTo("true");
        assertThat(environment.getProperty("spring.cloud.config.server.git.default-label")).isEqualTo("main");
        assertThat(environment.getProperty("spring.cloud.config.server.git.search-paths")).isEqualTo("prod,shared");
        assertThat(environment.getProperty("spring.cloud.config.server.native.search-locations")).isNull();
    }

    @Test
    void anExplicitConfigServerSettingStillWins() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("mesh.config.git-uri", "file:///srv/policies")
                .withProperty("spring.cloud.config.server.git.default-label", "release");

        selector.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.cloud.config.server.git.default-label")).isEqualTo("release");
    }
}
