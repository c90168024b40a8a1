package dev.meshgate.gateway.fastpath;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.HttpMethod;
import org.springframework.http.HttpStatus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The meters a request through Gateway's filter chain updates, with the same names and tags, updated
 * by the fast path: {@code http.server.requests} (WebFlux server observation), the upstream timer
 * {@code gateway.upstream.requests} and {@code spring.cloud.gateway.requests}. Timers are looked up
 * once per route, method and status and then reused.
 */
final class FastPathMetrics {

    static final String SERVER_REQUESTS = "http.server.requests";
    static final String UPSTREAM_REQUESTS = "gateway.upstream.requests";
    static final String GATEWAY_REQUESTS = "spring.cloud.gateway.requests";

    private final MeterRegistry registry;
    private final Map<FastRoute, Map<Integer, Timer[]>> byRoute = new ConcurrentHashMap<>();
    private final Map<FastRoute, Map<String, Timer>> failures = new ConcurrentHashMap<>();

    FastPathMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One exchange that got a response from its upstream (or an error written by the fast path). */
    void record(FastRoute route, HttpMethod method, int status, boolean upstreamAnswered, long nanos) {
        int key = method.hashCode() * 1009 + status * 2 + (upstreamAnswered ? 1 : 0);
        Timer[] timers = byRoute.computeIfAbsent(route, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> timers(route, method, status, upstreamAnswered));
        for (Timer timer : timers) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * An exchange that failed before a response: the server timer with the error status, and the
     * upstream timer with the failure's type as its {@code error} tag, as Gateway's observation records it.
     */
    void recordFailure(FastRoute route, HttpMethod method, int status, String error, long nanos) {
        record(route, method, status, false, nanos);
        failures.computeIfAbsent(route, r -> new ConcurrentHashMap<>()).computeIfAbsent(method.name() + " " + error,
                key -> Timer.builder(UPSTREAM_REQUESTS).tags(Tags.of(
                        "error", error, "http.method", method.name(), "http.status.code", "UNKNOWN",
                        "spring.cloud.gateway.route.id", route.id(), "spring.cloud.gateway.route.uri", route.uri()))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer[] timers(FastRoute route, HttpMethod method, int status, boolean upstreamAnswered) {
        String code = String.valueOf(status);
        HttpStatus.Series series = HttpStatus.Series.resolve(status);
        Timer server = Timer.builder(SERVER_REQUESTS).tags(Tags.of(
                "error", "none", "exception", "none", "method", method.name(), "outcome", serverOutcome(series),
                "status", code, "uri", "UNKNOWN")).register(registry);
        if (!upstreamAnswered) {
            return new Timer[] {server};
        }
        HttpStatus known = HttpStatus.resolve(status);
        Timer upstream = Timer.builder(UPSTREAM_REQUESTS).tags(Tags.of(
                "error", "none", "http.method", method.name(), "http.status.code", code,
                "spring.cloud.gateway.route.id", route.id(), "spring.cloud.gateway.route.uri", route.uri()))
                .register(registry);
        Timer gateway = Timer.builder(GATEWAY_REQUESTS).tags(Tags.of(
                "httpMethod", method.name(), "httpStatusCode", code,
                "outcome", series == null ? "UNKNOWN" : gatewayOutcome(series), "routeId", route.id(),
                "routeUri", route.uri(), "status", known == null ? code : known.name())).register(registry);
        return new Timer[] {server, upstream, gateway};
    }

    static String serverOutcome(HttpStatus.Series series) {
        if (series == null) {
            return "UNKNOWN";
        }
        return switch (series) {
            case INFORMATIONAL -> "INFORMATIONAL";
            case SUCCESSFUL -> "SUCCESS";
            case REDIRECTION -> "REDIRECTION";
            case CLIENT_ERROR -> "CLIENT_ERROR";
            case SERVER_ERROR -> "SERVER_ERROR";
        };
    }

    private static String gatewayOutcome(HttpStatus.Series series) {
        return series.name();
    }
}
