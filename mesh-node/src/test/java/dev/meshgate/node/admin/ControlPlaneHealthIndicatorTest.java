package dev.meshgate.node.admin;

import dev.meshgate.controlplane.ConfigServerProperties;
import dev.meshgate.controlplane.ConfigServerWatch;
import dev.meshgate.controlplane.MeshHealth;
import dev.meshgate.node.discovery.RegistryException;
import dev.meshgate.node.discovery.RegistryStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ControlPlaneHealthIndicatorTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final String CONFIG_SERVER_URL = "http://10.0.0.1:8888";

    private final StandardEnvironment environment = new StandardEnvironment();
    private final RegistryStatus registry = new RegistryStatus("http://127.0.0.1:8761/eureka", true,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void upWhenConfiguredFromTheConfigServerAndInTouchWithTheRegistry() {
        loadedFromConfigServer();
        registry.registered();
        registry.fetched(3);

        Health health = indicator().health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(configServer(health)).containsEntry("status", "UP").containsEntry("url", CONFIG_SERVER_URL)
                .containsEntry("documents", List.of("configserver:file:/repo/mesh-node.yml"));
        assertThat(registry(health)).containsEntry("registered", true)
                .containsEntry("knownClusters", 3)
                .containsEntry("lastRenewal", NOW.toString())
                .containsEntry("lastFetch", NOW.toString());
        assertThat(health.getDetails()).doesNotContainKey("degraded");
    }

    @Test
    void degradedWhenTheConfigServerWasNotReached() {
        registry.registered();
        registry.fetched(1);

        Health health = indicator().health();

        assertThat(health.getStatus()).isEqualTo(MeshHealth.DEGRADED);
        assertThat(configServer(health)).containsEntry("status", "DEGRADED").containsEntry("url", CONFIG_SERVER_URL)
                .containsEntry("retryEvery", "PT5S");
        assertThat(degraded(health)).singleElement().asString().startsWith("config server:")
                .contains("built-in defaults", "retrying every PT5S");
        assertThat((String) health.getDetails().get("serving")).contains("last known endpoints");
    }

    @Test
    void degradedWhenTheRegistryIsUnreachableWithTheLastError() {
        loadedFromConfigServer();
        registry.registrationFailed(new RegistryException("POST http://127.0.0.1:8761/eureka/apps/SEARCH failed: Connection refused"));
        registry.fetchFailed(new RegistryException("GET http://127.0.0.1:8761/eureka/apps failed: Connection refused"));

        Health health = indicator().health();

        assertThat(health.getStatus()).isEqualTo(MeshHealth.DEGRADED);
        assertThat(registry(health)).containsEntry("registered", false)
                .containsEntry("url", "http://127.0.0.1:8761/eureka")
                .containsEntry("lastErrorAt", NOW.toString());
        assertThat((String) registry(health).get("lastError")).contains("Connection refused");
        assertThat(degraded(health)).hasSize(2).allMatch(reason -> reason.startsWith("registry:"));
    }

    @Test
    void aDisabledConfigClientAndRegistrationAreNotDegradations() {
        RegistryStatus fetchOnly = new RegistryStatus("http://registry", false, Clock.systemUTC());
        fetchOnly.fetched(0);
        // The config client switched off: the watch is there (switches are read at run time) but not watching.
        environment.getPropertySources().addFirst(new MapPropertySource("switches", Map.of("spring.cloud.config.enabled", "false")));
        ConfigServerWatch off = new ConfigServerWatch(environment,
                new ConfigServerProperties(CONFIG_SERVER_URL, Duration.ofSeconds(5), new ConfigServerProperties.Watch(true)),
                Mono::empty, Set::of);
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("configServerHealthIndicator", off));

        Health health = new ControlPlaneHealthIndicator(beans.getBeanProvider(ConfigServerWatch.class), fetchOnly).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(configServer(health)).containsEntry("watched", false);
        assertThat(registry(health)).containsEntry("registration", "disabled");
    }

    @Test
    void anApplicationWithoutAWatchIsNotDegradedEither() {
        RegistryStatus registered = new RegistryStatus("http://registry", true, Clock.systemUTC());
        registered.registered();
        registered.fetched(0);

        Health health = new ControlPlaneHealthIndicator(new StaticListableBeanFactory().getBeanProvider(ConfigServerWatch.class),
                registered).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(configServer(health)).containsEntry("watched", false);
    }

    private ControlPlaneHealthIndicator indicator() {
        ConfigServerWatch watch = new ConfigServerWatch(environment,
                new ConfigServerProperties(CONFIG_SERVER_URL, Duration.ofSeconds(5), new ConfigServerProperties.Watch(true)),
                Mono::empty, Set::of);
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("configServerHealthIndicator", watch));
        return new ControlPlaneHealthIndicator(beans.getBeanProvider(ConfigServerWatch.class), registry);
    }

    private void loadedFromConfigServer() {
        environment.getPropertySources().addFirst(new MapPropertySource("configserver:file:/repo/mesh-node.yml", Map.of("mesh.proxy.idle-timeout", "60s")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> configServer(Health health) {
        return (Map<String, Object>) health.getDetails().get("configServer");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> registry(Health health) {
        return (Map<String, Object>) health.getDetails().get("registry");
    }

    @SuppressWarnings("unchecked")
    private static List<String> degraded(Health health) {
        return (List<String>) health.getDetails().get("degraded");
    }
}
