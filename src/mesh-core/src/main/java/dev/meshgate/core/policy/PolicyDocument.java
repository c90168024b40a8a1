package dev.meshgate.core.policy;

import java.time.Duration;
import java.util.Map;

/**
 * {@code mesh.policy} as the config repository states it (see {@link MeshPolicy} for the shape), the
 * form the data planes bind their configuration to. The service and route records validate as they
 * are built, so a bad value fails the binding naming the key, and the record's message the value.
 */
public record PolicyDocument(Duration requestTimeout, RetryPolicy retries, RetryBudgetPolicy retryBudget,
        CircuitBreakerPolicy circuitBreaker, BulkheadPolicy bulkhead, Map<String, ServicePolicy> services) {

    /** The validated snapshot this document describes. */
    public MeshPolicy toPolicy() {
        return toPolicy(requestTimeout);
    }

    /** The snapshot with {@code defaultTimeout} as the mesh-wide request timeout (null for the document's). */
    public MeshPolicy toPolicy(Duration defaultTimeout) {
        Timeouts.requirePositiveOrNull(MeshPolicy.REQUEST_TIMEOUT_KEY, requestTimeout);
        return MeshPolicy.meshWide(new ServicePolicy(defaultTimeout != null ? defaultTimeout : requestTimeout, retries,
                retryBudget, circuitBreaker, bulkhead, null), services);
    }
}
