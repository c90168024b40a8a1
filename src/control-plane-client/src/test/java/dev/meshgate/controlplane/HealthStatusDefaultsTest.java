package dev.meshgate.controlplane;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthStatusDefaultsTest {

    private final StandardEnvironment environment = new StandardEnvironment();

    @Test
    void ordersDegradedBetweenOutOfServiceAndUpAndAnswersIt200() {
        new HealthStatusDefaults().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("management.endpoint.health.status.order"))
                .isEqualTo("DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN");
        assertThat(environment.getProperty("management.endpoint.health.status.http-mapping.DEGRADED", Integer.class))
                .isEqualTo(200);
        assertThat(environment.getProperty("management.health.config.enabled", Boolean.class)).isFalse();
    }

    @Test
    void theApplicationsOwnSettingWinsAndTheDefaultsAreAddedOnce() {
        environment.getPropertySources().addLast(new MapPropertySource("applicationConfig",
                Map.of("management.endpoint.health.status.order", "DOWN,UP")));

        new HealthStatusDefaults().postProcessEnvironment(environment, new SpringApplication());
        new HealthStatusDefaults().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("management.endpoint.health.status.order")).isEqualTo("DOWN,UP");
        assertThat(environment.getPropertySources().stream()
                .filter(source -> source.getName().equals(HealthStatusDefaults.SOURCE_NAME))).hasSize(1);
    }
}
