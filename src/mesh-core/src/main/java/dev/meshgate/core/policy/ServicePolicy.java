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
 */
public record ServicePolicy(Duration requestTimeout, RetryPolicy retries, List<RoutePolicy> routes) {

    public ServicePolicy {
        Timeouts.requirePositiveOrNull("request-timeout", requestTimeout);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /** The same policy with every inherited value filled in, ending in a catch-all route. */
    ServicePolicy resolved(String service, Duration defaultTimeout, RetryPolicy defaultRetries) {
        Duration timeout = requestTimeout != null ? requestTimeout : defaultTimeout;
        RetryPolicy retry = retries != null ? retries : defaultRetries;
        List<RoutePolicy> resolved = new ArrayList<>(routes.size() + 1);
        for (RoutePolicy route : routes) {
            resolved.add(route.inheriting(timeout, retry));
        }
        resolved.add(RoutePolicy.catchAll(timeout, retry));
        return new ServicePolicy(timeout, retry, resolved);
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
