package dev.meshgate.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigRepositorySelectorTest {

    private final ConfigRepositorySelector selector = new ConfigRepositorySelector();

    @Test
    void withoutAGitUriServesTheRepositoryOnDiskResolvedAgainstTheWorkingDirectory() {
        MockEnvironment environment = new MockEnvironment();

        selector.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getActiveProfiles()).containsExactly("native");
        String expected = Path.of("src/config-repo").toAbsolutePath().normalize().toUri().toString();
        assertThat(environment.getProperty("spring.cloud.config.server.native.search-locations"))
                .isEqualTo(expected.endsWith("/") ? expected : expected + "/");
    }

    @Test
    void anAbsoluteRepositoryPathIsServedAsADirectory() {
        MockEnvironment environment = new MockEnvironment().withProperty("mesh.config.repo", "/srv/mesh/policies");

        selector.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.cloud.config.server.native.search-locations"))
                .isEqualTo("file:///srv/mesh/policies/");
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
