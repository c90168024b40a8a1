package dev.meshgate.node.admin;

import dev.meshgate.node.discovery.RegistryStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code controlPlane}: whether this node got its configuration from the config server and is in
 * touch with the registry. Losing either never stops the node, so the status is then
 * {@link MeshHealth#DEGRADED} (still ready), with details saying what is missing and what the node
 * serves with meanwhile.
 */
@Component
public class ControlPlaneHealthIndicator implements HealthIndicator {

    /** The config server the node imports from when {@code mesh.config-server.url} is not set (as in application.yml). */
    public static final String DEFAULT_CONFIG_SERVER_URL = "http://127.0.0.1:8888";

    private final ConfigurableEnvironment environment;
    private final RegistryStatus registry;

    public ControlPlaneHealthIndicator(ConfigurableEnvironment environment, RegistryStatus registry) {
        this.environment = environment;
        this.registry = registry;
    }

    @Override
    public Health health() {
        List<String> degraded = new ArrayList<>();
        Map<String, Object> configServer = configServer(degraded);
        Map<String, Object> registryDetails = registry(degraded);
        Health.Builder health = degraded.isEmpty() ? Health.up() : Health.status(MeshHealth.DEGRADED);
        health.withDetail("configServer", configServer).withDetail("registry", registryDetails);
        if (!degraded.isEmpty()) {
            health.withDetail("degraded", degraded)
                    .withDetail("serving", "with the last known endpoints and the configuration loaded at start-up"
                            + " (the node's built-in defaults where the config server was not reached)");
        }
        return health.build();
    }

    private Map<String, Object> configServer(List<String> degraded) {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean enabled = environment.getProperty("spring.cloud.config.enabled", Boolean.class, true);
        details.put("url", environment.getProperty("mesh.config-server.url", DEFAULT_CONFIG_SERVER_URL));
        details.put("enabled", enabled);
        boolean loaded = loadedFromConfigServer();
        details.put("loaded", loaded);
        if (enabled && !loaded) {
            degraded.add("config server: configuration was not loaded from it at start-up; running on built-in defaults");
        }
        return details;
    }

    /** The config client adds a {@code configClient} source, and one {@code configserver:*} source per file served. */
    private boolean loadedFromConfigServer() {
        for (PropertySource<?> source : environment.getPropertySources()) {
            String name = source.getName();
            if (name.startsWith("configserver:") || name.equals("configClient")) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Object> registry(List<String> degraded) {
        RegistryStatus.View view = registry.view();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", view.url());
        details.put("registration", view.registrationEnabled() ? "enabled" : "disabled");
        details.put("registered", view.registered());
        putIfPresent(details, "lastRenewal", view.lastRenewal());
        putIfPresent(details, "lastFetch", view.lastFetch());
        details.put("knownClusters", view.knownClusters());
        if (view.lastError() != null) {
            details.put("lastError", view.lastError());
        }
        putIfPresent(details, "lastErrorAt", view.lastErrorAt());
        view.problems().forEach(problem -> degraded.add("registry: " + problem));
        return details;
    }

    private static void putIfPresent(Map<String, Object> details, String key, Instant value) {
        if (value != null) {
            details.put(key, value.toString());
        }
    }
}
