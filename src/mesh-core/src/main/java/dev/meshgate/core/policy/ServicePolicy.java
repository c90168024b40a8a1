package dev.meshgate.core.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How every caller calls one service: its routes, tried in order, the first match wins, and a
 * catch-all route last that carries the service's own timeout.
 *
 * @param requestTimeout null inherits the mesh-wide default
 * @param retries        null inherits the mesh-wide default
 * @param retryBudget    the most retries every route of the service sends together; null inherits the mesh-wide default
 * @param circuitBreaker the breaker every route without its own shares; null inherits the mesh-wide one (none by default)
 * @param bulkhead       caps on requests in flight to the service; null inherits the mesh-wide one (none by default)
 */
public record ServicePolicy(Duration requestTimeout, RetryPolicy retries, RetryBudgetPolicy retryBudget,
        CircuitBreakerPolicy circuitBreaker, BulkheadPolicy bulkhead, List<RoutePolicy> routes) {

    public ServicePolicy {
        Timeouts.requirePositiveOrNull("request-timeout", requestTimeout);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /** The same policy with every inherited value filled in, ending in a catch-all route. */
    ServicePolicy resolved(ServicePolicy defaults) {
        ServicePolicy own = new ServicePolicy(
                requestTimeout != null ? requestTimeout : defaults.requestTimeout,
                retries != null ? retries : defaults.retries,
                retryBudget != null ? retryBudget : defaults.retryBudget,
                circuitBreaker != null ? circuitBreaker : defaults.circuitBreaker,
                bulkhead != null ? bulkhead : defaults.bulkhead, List.of());
        List<RoutePolicy> resolved = new ArrayList<>(routes.size() + 1);
        for (RoutePolicy route : routes) {
            resolved.add(route.inheriting(own));
        }
        resolved.add(RoutePolicy.catchAll(own));
        return new ServicePolicy(own.requestTimeout, own.retries, own.retryBudget, own.circuitBreaker, own.bulkhead, resolved);
    }

    /**
     * The name of the breaker {@code route} of {@code service} counts its calls in: the service's, unless
     * the route has its own ({@code search/reports}); null when neither has one.
     */
    public String breakerName(String service, RoutePolicy route) {
        if (route.circuitBreaker() == null) {
            return null;
        }
        return route.circuitBreaker() == circuitBreaker ? service : service + "/" + route.name();
    }

    /** Timeout, retries and routes; the budget inherited. */
    public static ServicePolicy of(Duration requestTimeout, RetryPolicy retries, List<RoutePolicy> routes) {
        return new ServicePolicy(requestTimeout, retries, null, null, null, routes);
    }

    /** The route serving {@code method} {@code path}; a resolved policy always has one. */
    public RoutePolicy route(String method, String path) {
        List<RoutePolicy> all = routes;
        for (int i = 0, n = all.size(); i < n; i++) {
            RoutePolicy route = all.get(i);
            if (route.matches(method, path)) {
                return route;
            }
        }
        return all.get(all.size() - 1);
    }
}
