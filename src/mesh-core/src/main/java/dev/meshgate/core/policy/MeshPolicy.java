package dev.meshgate.core.policy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The whole policy a data plane runs with, as one immutable snapshot: a service's policy by its
 * name, and the defaults every other service gets. Built from {@code mesh.policy} in the config
 * repository; a value that does not validate fails the build with a message naming it, so a bad
 * document never becomes the current snapshot.
 *
 * <pre>
 * mesh.policy:
 *   request-timeout: 15s          # every exchange of a service without its own
 *   retries:                      # every call of a service without its own (RetryPolicy)
 *     attempts: 2
 *     retry-on: [connect-failure, refused-stream, reset, per-try-timeout]
 *   retry-budget:                 # every service without its own (RetryBudgetPolicy)
 *     ratio: 0.2
 *   services:
 *     search:
 *       request-timeout: 2s
 *       routes:
 *         - name: events
 *           path-prefix: /events
 *           stream: true            # no overall timeout
 * </pre>
 */
public final class MeshPolicy {

    /** Envoy's default route timeout: long enough for a slow request, short enough to free a hung one. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    static final String REQUEST_TIMEOUT_KEY = "mesh.policy.request-timeout";

    private final Map<String, ServicePolicy> services;
    /** The mesh-wide values, resolved: what a service without a policy of its own gets. */
    private final ServicePolicy fallback;
    private final boolean hasBulkheads;

    private MeshPolicy(ServicePolicy fallback, Map<String, ServicePolicy> services) {
        this.services = services;
        this.fallback = fallback;
        this.hasBulkheads = fallback.bulkhead() != null
                || services.values().stream().anyMatch(service -> service.bulkhead() != null);
    }

    /** Whether any service has a bulkhead: without one, no request needs to look. */
    public boolean hasBulkheads() {
        return hasBulkheads;
    }

    /** The defaults only: every service gets the default request timeout. */
    public static MeshPolicy defaults() {
        return of(null, Map.of());
    }

    /**
     * @param requestTimeout the mesh-wide default, null for {@link #DEFAULT_REQUEST_TIMEOUT}
     * @param services       by service name (matched case-insensitively)
     */
    public static MeshPolicy of(Duration requestTimeout, Map<String, ServicePolicy> services) {
        return of(requestTimeout, null, services);
    }

    /** @param retries the mesh-wide default, null for {@link RetryPolicy#DEFAULT} */
    public static MeshPolicy of(Duration requestTimeout, RetryPolicy retries, Map<String, ServicePolicy> services) {
        return of(requestTimeout, retries, null, services);
    }

    /** @param retryBudget the mesh-wide default, null for {@link RetryBudgetPolicy#DEFAULT} */
    public static MeshPolicy of(Duration requestTimeout, RetryPolicy retries, RetryBudgetPolicy retryBudget,
            Map<String, ServicePolicy> services) {
        Timeouts.requirePositiveOrNull(REQUEST_TIMEOUT_KEY, requestTimeout);
        return meshWide(new ServicePolicy(requestTimeout, retries, retryBudget, null, null, null), services);
    }

    /**
     * @param meshWide the mesh-wide values (its routes are ignored); each unset one takes its default:
     *                 {@link #DEFAULT_REQUEST_TIMEOUT}, {@link RetryPolicy#DEFAULT}, {@link RetryBudgetPolicy#DEFAULT}, no breaker
     */
    public static MeshPolicy meshWide(ServicePolicy meshWide, Map<String, ServicePolicy> services) {
        ServicePolicy defaults = new ServicePolicy(DEFAULT_REQUEST_TIMEOUT, RetryPolicy.DEFAULT, RetryBudgetPolicy.DEFAULT,
                null, null, null);
        ServicePolicy fallback = new ServicePolicy(meshWide.requestTimeout(), meshWide.retries(), meshWide.retryBudget(),
                meshWide.circuitBreaker(), meshWide.bulkhead(), null).resolved(defaults);
        Map<String, ServicePolicy> resolved = new HashMap<>();
        if (services != null) {
            services.forEach((name, policy) -> {
                String service = name.toLowerCase(Locale.ROOT);
                if (!service.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                    throw new IllegalArgumentException("mesh.policy.services: '" + name + "' is not a service name (a DNS label)");
                }
                if (policy == null) {
                    throw new IllegalArgumentException("mesh.policy.services." + name + " is empty");
                }
                resolved.put(service, policy.resolved(fallback));
            });
        }
        return new MeshPolicy(fallback, Map.copyOf(resolved));
    }

    public Duration requestTimeout() {
        return fallback.requestTimeout();
    }

    public RetryPolicy retries() {
        return fallback.retries();
    }

    public RetryBudgetPolicy retryBudget() {
        return fallback.retryBudget();
    }

    /** The policy for calls to {@code service}: its own, or the defaults. */
    public ServicePolicy service(String service) {
        ServicePolicy own = services.get(service);
        if (own == null && service != null) {
            // names arrive lower-case from the routers; this is the rare mixed-case caller
            own = services.get(service.toLowerCase(Locale.ROOT));
        }
        return own != null ? own : fallback;
    }

    public Map<String, ServicePolicy> services() {
        return services;
    }
}
