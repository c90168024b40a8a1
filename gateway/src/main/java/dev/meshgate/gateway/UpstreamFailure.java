package dev.meshgate.gateway;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.HttpStatus;
import reactor.netty.http.client.PrematureCloseException;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What went wrong between the edge and a routed service, in the words an operator needs: the status
 * the client gets, a code for it, and the service and upstream it concerns. Gateway's filter chain
 * ({@link UpstreamFailureHandler}) and the fast path build theirs here, so both answer alike.
 *
 * @param status   503 no instance, 502 refused or dropped connection, 504 no answer in time
 * @param error    the code clients can test ({@code upstream_timeout}), the {@code error} of the body
 * @param service  the logical service of the route ({@code planner} for {@code lb://planner})
 * @param upstream the endpoint that failed ({@code host:port}), or null when none was chosen
 * @param message  one sentence naming both
 */
public record UpstreamFailure(HttpStatus status, String error, String service, String upstream, String message,
        Duration timeout) {

    public UpstreamFailure(HttpStatus status, String error, String service, String upstream, String message) {
        this(status, error, service, upstream, message, null);
    }

    public static UpstreamFailure noInstance(String service) {
        return new UpstreamFailure(HttpStatus.SERVICE_UNAVAILABLE, "no_endpoints", service, null,
                "no instance of service '" + service + "' is available");
    }

    public static UpstreamFailure connectRefused(String service, String upstream) {
        return new UpstreamFailure(HttpStatus.BAD_GATEWAY, "upstream_connect_refused", service, upstream,
                of(service, upstream) + " refused the connection");
    }

    public static UpstreamFailure connectTimeout(String service, String upstream) {
        return new UpstreamFailure(HttpStatus.GATEWAY_TIMEOUT, "upstream_connect_timeout", service, upstream,
                of(service, upstream) + " did not answer in time");
    }

    /** The connection closed (or was reset) before a response began. */
    public static UpstreamFailure reset(String service, String upstream) {
        return new UpstreamFailure(HttpStatus.BAD_GATEWAY, "upstream_reset", service, upstream,
                of(service, upstream) + " closed the connection before answering");
    }

    /** No response began within the response timeout; {@code timeout} null when not known. */
    public static UpstreamFailure responseTimeout(String service, String upstream, Duration timeout) {
        return new UpstreamFailure(HttpStatus.GATEWAY_TIMEOUT, "upstream_timeout", service, upstream,
                of(service, upstream) + (timeout == null ? " did not answer in time"
                        : " did not answer within the request timeout of " + timeout.toMillis() + " ms"), timeout);
    }

    /**
     * Classifies a routing failure; empty for anything that is not an upstream failure.
     *
     * @param responseTimeout the route's response timeout, named in the message when it expired (null: none)
     */
    static Optional<UpstreamFailure> classify(Throwable failure, URI routeUri, URI requestUrl, Duration responseTimeout) {
        String service = serviceOf(routeUri);
        String upstream = requestUrl == null || "lb".equals(requestUrl.getScheme()) ? null : authorityOf(requestUrl);
        if (failure instanceof NotFoundException) {
            return Optional.of(noInstance(service));
        }
        if (upstream == null) {
            return Optional.empty();
        }
        // Netty's connect timeout is a ConnectException too: classified as a timeout first
        if (causedBy(failure, ConnectTimeoutException.class)) {
            return Optional.of(connectTimeout(service, upstream));
        }
        if (causedBy(failure, TimeoutException.class) || causedBy(failure, ReadTimeoutException.class)) {
            return Optional.of(responseTimeout(service, upstream, responseTimeout));
        }
        if (causedBy(failure, ConnectException.class)) {
            return Optional.of(connectRefused(service, upstream));
        }
        if (causedBy(failure, PrematureCloseException.class)) {
            return Optional.of(reset(service, upstream));
        }
        return Optional.empty();
    }

    public Map<String, Object> body(String path, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        // the engine's error shape (ErrorResponses), so both paths and the nodes answer alike
        body.put("error", error);
        body.put("status", status.value());
        body.put("message", message);
        body.put("service", service);
        if (upstream != null) {
            body.put("upstream", upstream);
        }
        if (timeout != null) {
            body.put("timeout_ms", timeout.toMillis());
        }
        body.put("path", path);
        body.put("requestId", requestId);
        return body;
    }

    private static String of(String service, String upstream) {
        return "upstream " + upstream + " of service '" + service + "'";
    }

    private static String serviceOf(URI routeUri) {
        if (routeUri == null) {
            return "unknown";
        }
        return routeUri.getHost() != null ? routeUri.getHost() : routeUri.getSchemeSpecificPart();
    }

    private static String authorityOf(URI url) {
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
