package dev.meshgate.controlplane;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigServerPropertiesTest {

    @Test
    void defaultsMatchTheConfigImportsDefaultAddress() {
        ConfigServerProperties properties = bind(Map.of());

        assertThat(properties.url()).isEqualTo(ConfigServerProperties.DEFAULT_URL).isEqualTo("http://127.0.0.1:8888");
        assertThat(properties.retryInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.watch().enabled()).isTrue();
    }

    @Test
    void bindsTheUrlWithoutATrailingSlashAndTheInterval() {
        ConfigServerProperties properties = bind(Map.of(
                "mesh.config-server.url", "http://config-server:8888/",
                "mesh.config-server.retry-interval", "200ms",
                "mesh.config-server.watch.enabled", "false"));

        assertThat(properties.url()).isEqualTo("http://config-server:8888");
        assertThat(properties.retryInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(properties.watch().enabled()).isFalse();
    }

    @Test
    void aUrlThatIsNotHttpIsRejectedWithTheValue() {
        assertThatThrownBy(() -> bind(Map.of("mesh.config-server.url", "config-server:8888")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("mesh.config-server.url must be an absolute http or https URL, was 'config-server:8888'");
    }

    @Test
    void aRetryIntervalThatIsNotPositiveIsRejectedWithTheValue() {
        assertThatThrownBy(() -> bind(Map.of("mesh.config-server.retry-interval", "0s")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("mesh.config-server.retry-interval must be positive, was PT0S");
    }

    private static ConfigServerProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("mesh.config-server", ConfigServerProperties.class);
    }
}
