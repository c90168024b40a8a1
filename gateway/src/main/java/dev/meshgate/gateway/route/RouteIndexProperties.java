package dev.meshgate.gateway.route;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code mesh.gateway.route-index.*}: the indexed route lookup.
 *
 * @param enabled false falls back to Gateway's own lookup, which tests every route in order
 */
@ConfigurationProperties("mesh.gateway.route-index")
public record RouteIndexProperties(Boolean enabled) {

    public RouteIndexProperties {
        enabled = enabled == null || enabled;
    }
}
