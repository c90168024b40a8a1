package dev.meshgate.core.policy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One route of a service: the requests it matches (a path prefix, optionally some methods) and how
 * they are served. {@code requestTimeout} bounds the whole exchange, from the request's head to the
 * response's last byte; a route declared as a {@code stream} (server-sent events, long polls, large
 * downloads) has none, since its response may rightly last as long as the client listens.
 *
 * @param requestTimeout null inherits the service's timeout
 * @param retries        null inherits the service's retry policy
 * @param circuitBreaker null inherits the service's breaker (shared with its other routes); the route's own
 *                       breaker counts the route's calls alone
 * @param fault          faults injected into the route's requests; null for none (a route's own, never inherited)
 */
public record RoutePolicy(String name, String pathPrefix, List<String> methods, Duration requestTimeout,
        boolean stream, RetryPolicy retries, CircuitBreakerPolicy circuitBreaker, FaultPolicy fault) {

    public RoutePolicy {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a route needs a name, was '" + name + "'");
        }
        pathPrefix = pathPrefix == null ? "/" : pathPrefix;
        if (!pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("route '" + name + "': path-prefix must start with '/', was '" + pathPrefix + "'");
        }
        methods = methods == null ? List.of() : methods.stream().map(method -> method.toUpperCase(Locale.ROOT)).toList();
        for (String method : methods) {
            if (!method.matches("[A-Z]+")) {
                throw new IllegalArgumentException("route '" + name + "': methods must be HTTP method names, was '" + method + "'");
            }
        }
        Timeouts.requirePositiveOrNull("route '" + name + "': request-timeout", requestTimeout);
    }

    /** A route without its own circuit breaker or faults. */
    public static RoutePolicy of(String name, String pathPrefix, List<String> methods, Duration requestTimeout,
            boolean stream, RetryPolicy retries) {
        return new RoutePolicy(name, pathPrefix, methods, requestTimeout, stream, retries, null, null);
    }

    /** The catch-all route of a service: every request, the service's own values. */
    static RoutePolicy catchAll(ServicePolicy service) {
        return new RoutePolicy("default", "/", List.of(), service.requestTimeout(), false, service.retries(),
                service.circuitBreaker(), null);
    }

    /** This route with what it leaves unset taken from its (resolved) service. */
    RoutePolicy inheriting(ServicePolicy service) {
        if (requestTimeout != null && retries != null && circuitBreaker != null) {
            return this;
        }
        return new RoutePolicy(name, pathPrefix, methods, requestTimeout != null ? requestTimeout : service.requestTimeout(),
                stream, retries != null ? retries : service.retries(),
                circuitBreaker != null ? circuitBreaker : service.circuitBreaker(), fault);
    }

    /** True when this route serves a request with {@code method} for {@code path}. */
    public boolean matches(String method, String path) {
        return path.startsWith(pathPrefix) && (methods.isEmpty() || methods.contains(method));
    }

    /** The bound on the whole exchange in nanoseconds, or 0 for none (a stream). */
    public long requestTimeoutNanos() {
        return stream || requestTimeout == null ? 0 : requestTimeout.toNanos();
    }
}
