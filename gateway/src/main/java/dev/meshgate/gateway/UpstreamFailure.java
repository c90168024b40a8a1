package dev.meshgate.gateway;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.HttpStatus;
import reactor.netty.http.client.PrematureCloseException;

import java.net.ConnectException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What went wrong between the edge and a routed service, in the words an operator needs: the status
 * the client gets, and the service and upstream it concerns.
 *
 * @param status   503 no instance, 502 refused or dropped connection, 504 no answer in time
 * @param service  the logical service of the route ({@code planner} for {@code lb://planner})
 * @param upstream the endpoint that failed ({@code host:port}), or null when none was chosen
 * @param message  one sentence naming both
 */
public record UpstreamFailure(HttpStatus status, String service, String upstream, String message) {

    /** Classifies a routing failure; empty for anything that is not an upstream failure. */
    static Optional<UpstreamFailure> classify(Throwable failure, URI routeUri, URI requestUrl) {
        String service = serviceOf(routeUri);
        String upstream = requestUrl == null || "lb".equals(requestUrl.getScheme()) ? null : authorityOf(requestUrl);
        if (failure instanceof NotFoundException) {
            return Optional.of(new UpstreamFailure(HttpStatus.SERVICE_UNAVAILABLE, service, null,
                    "no instance of service '" + service + "' is available"));
        }
        if (upstream == null) {
            return Optional.empty();
        }
        if (causedBy(failure, ConnectTimeoutException.class) || causedBy(failure, TimeoutException.class)
                || causedBy(failure, ReadTimeoutException.class)) {
            return Optional.of(new UpstreamFailure(HttpStatus.GATEWAY_TIMEOUT, service, upstream,
                    "upstream " + upstream + " of service '" + service + "' did not answer in time"));
        }
        if (causedBy(failure, ConnectException.class)) {
            return Optional.of(new UpstreamFailure(HttpStatus.BAD_GATEWAY, service, upstream,
                    "upstream " + upstream + " of service '" + service + "' refused the connection"));
        }
        if (causedBy(failure, PrematureCloseException.class)) {
            return Optional.of(new UpstreamFailure(HttpStatus.BAD_GATEWAY, service, upstream,
                    "upstream " + upstream + " of service '" + service + "' closed the connection before answering"));
        }
        return Optional.empty();
    }

    public Map<String, Object> body(String path, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", status.getReasonPhrase());
        body.put("message", message);
        body.put("service", service);
        if (upstream != null) {
            body.put("upstream", upstream);
        }
        body.put("path", path);
        body.put("requestId", requestId);
        return body;
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
