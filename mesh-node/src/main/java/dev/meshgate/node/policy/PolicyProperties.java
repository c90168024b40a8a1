package dev.meshgate.node.policy;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.ServicePolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * {@code mesh.policy} as the config repository states it (see {@link MeshPolicy} for the shape). The
 * service and route records are mesh-core's own and validate as they are bound: a bad value stops
 * the node with the binder's message naming the key, and the record's naming the value.
 */
@ConfigurationProperties("mesh.policy")
public record PolicyProperties(Duration requestTimeout, Map<String, ServicePolicy> services) {

    public MeshPolicy toPolicy() {
        return MeshPolicy.of(requestTimeout, services);
    }
}
