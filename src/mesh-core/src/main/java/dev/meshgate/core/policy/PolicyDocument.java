package dev.meshgate.core.policy;

import java.time.Duration;
import java.util.Map;

/**
 * {@code mesh.policy} as the config repository states it (see {@link MeshPolicy} for the shape), the
 * form the data planes bind their configuration to. The service and route records validate as they
 * are built, so a bad value fails the binding naming the key, and the record's message the value.
 */
public record PolicyDocument(Duration requestTimeout, RetryPolicy retries, Map<String, ServicePolicy> services) {

    /** The validated snapshot this document describes. */
    public MeshPolicy toPolicy() {
        return MeshPolicy.of(requestTimeout, retries, services);
    }
}
