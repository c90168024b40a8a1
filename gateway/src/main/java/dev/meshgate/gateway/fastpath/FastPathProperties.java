package dev.meshgate.gateway.fastpath;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code mesh.gateway.fast-path.enabled}: whether requests for simple routes (Path prefix,
 * StripPrefix, {@code http://} or {@code lb://}) are forwarded at the Netty level instead of through
 * Gateway's filter chain. Default on.
 */
@ConfigurationProperties("mesh.gateway.fast-path")
public record FastPathProperties(Boolean enabled) {

    public boolean isEnabled() {
        return enabled == null || enabled;
    }
}
