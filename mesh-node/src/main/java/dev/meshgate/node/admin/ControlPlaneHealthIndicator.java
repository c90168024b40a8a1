package dev.meshgate.node.admin;

import dev.meshgate.controlplane.ConfigServerWatch;
import dev.meshgate.controlplane.MeshHealth;
import dev.meshgate.node.discovery.RegistryStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code controlPlane}: the node's readiness view of its control plane, namely whether it got its
 * configuration from the config server (as the shared {@code configServer} component reports it) and
 * whether it is in touch with the registry (the node's own discovery client). Losing either never stops
 * the node, so the status is then {@link MeshHealth#DEGRADED} (still ready), with details saying what is
 * missing and what the node serves with meanwhile.
 */
@Component
public class ControlPlaneHealthIndicator implements HealthIndicator {

    private final ObjectProvider<ConfigServerWatch> configServer;
    private final RegistryStatus registry;

    /** @param configServer absent when the config client or its watch is switched off: nothing to wait for then */
    public ControlPlaneHealthIndicator(ObjectProvider<ConfigServerWatch> configServer, RegistryStatus registry) {
        this.configServer = configServer;
        this.registry = registry;
    }

    @Override
    public Health health() {
        List<String> degraded = new ArrayList<>();
        Map<String, Object> configServerDetails = configServer(degraded);
        Map<String, Object> registryDetails = registry(degraded);
        Health.Builder health = degraded.isEmpty() ? Health.up() : Health.status(MeshHealth.DEGRADED);
        health.withDetail("configServer", configServerDetails).withDetail("registry", registryDetails);
        if (!degraded.isEmpty()) {
            health.withDetail("degraded", degraded)
                    .withDetail("serving", "with the last known endpoints and the configuration loaded last"
                            + " (the node's built-in defaults until the config server answers)");
        }
        return health.build();
    }

    private Map<String, Object> configServer(List<String> degraded) {
        Map<String, Object> details = new LinkedHashMap<>();
        ConfigServerWatch watch = configServer.getIfAvailable();
        if (watch == null || !watch.watched()) {
            details.put("watched", false);
            return details;
        }
        Health link = watch.health();
        details.put("status", link.getStatus().getCode());
        details.putAll(link.getDetails());
        if (!Status.UP.equals(link.getStatus())) {
            degraded.add("config server: configuration not loaded from it; running on built-in defaults, retrying every "
                    + link.getDetails().get("retryEvery"));
        }
        return details;
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
