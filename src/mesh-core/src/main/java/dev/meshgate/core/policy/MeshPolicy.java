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
 *     retry-on: [connect-failure, refused-stream, reset]
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

    private final Duration requestTimeout;
    private final RetryPolicy retries;
    private final Map<String, ServicePolicy> services;
    private final ServicePolicy fallback;

    private MeshPolicy(Duration requestTimeout, RetryPolicy retries, Map<String, ServicePolicy> services) {
        this.requestTimeout = requestTimeout;
        this.retries = retries;
        this.services = services;
        this.fallback = new ServicePolicy(null, null, null).resolved("*", requestTimeout, retries);
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
        Timeouts.requirePositiveOrNull("mesh.policy.request-timeout", requestTimeout);
        RetryPolicy retry = retries != null ? retries : RetryPolicy.DEFAULT;
        Duration timeout = requestTimeout != null ? requestTimeout : DEFAULT_REQUEST_TIMEOUT;
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
                resolved.put(service, policy.resolved(service, timeout, retry));
            });
        }
        return new MeshPolicy(timeout, retry, Map.copyOf(resolved));
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public RetryPolicy retries() {
        return retries;
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
