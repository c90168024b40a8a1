package dev.meshgate.controlplane;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Makes {@link MeshHealth#DEGRADED} a known status in every application that uses this module: ordered
 * between OUT_OF_SERVICE and UP (a DEGRADED component makes the aggregate DEGRADED, a DOWN one still
 * DOWN) and answered with 200, so it never fails a liveness, readiness or container health check.
 *
 * <p>Added last, after the application's own configuration is loaded, so any application can still
 * set these keys itself.
 */
public class HealthStatusDefaults implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE_NAME = "meshHealthStatusDefaults";

    static final Map<String, Object> DEFAULTS = Map.of(
            "management.endpoint.health.status.order", "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN",
            "management.endpoint.health.status.http-mapping.DEGRADED", "200",
            // The config client's own indicator re-fetches from the config server on each health check
            // and turns an outage into DOWN or a bare UNKNOWN; configServer reports the link instead.
            "management.health.config.enabled", "false");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getPropertySources().contains(SOURCE_NAME)) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, DEFAULTS));
        }
    }

    /** After the config data post-processor: added before it, the application's own files would land below. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
