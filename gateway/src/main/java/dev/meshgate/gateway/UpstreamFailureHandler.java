package dev.meshgate.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;

/**
 * Answers a routed request whose upstream failed with a JSON body that names the service and the
 * upstream: 503 when the service has no instance, 502 when its endpoint refused or dropped the
 * connection, 504 when it did not answer in time (naming the response timeout). Gateway's defaults say "Unable to find instance"
 * or a bare 500 for a refused connection; the edge's clients and operators need to know which hop.
 * Everything else falls through to Boot's error handling.
 */
@Component
@Order(-2) // before Boot's DefaultErrorWebExceptionHandler (-1)
class UpstreamFailureHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(UpstreamFailureHandler.class);

    private final JsonMapper json;
    private final HttpClientProperties httpClient;

    UpstreamFailureHandler(JsonMapper json, HttpClientProperties httpClient) {
        this.json = json;
        this.httpClient = httpClient;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        ServerHttpResponse response = exchange.getResponse();
        if (route == null || response.isCommitted()) {
            return Mono.error(failure);
        }
        URI requestUrl = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        return UpstreamFailure.classify(failure, route.getUri(), requestUrl, responseTimeout(route))
                .map(upstreamFailure -> write(exchange, upstreamFailure, route.getId()))
                .orElseGet(() -> Mono.error(failure));
    }

    /** The response timeout Gateway's NettyRoutingFilter applied: the route's metadata, else the client's. */
    private Duration responseTimeout(Route route) {
        Object perRoute = route.getMetadata().get(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR);
        if (perRoute != null) {
            try {
                long millis = perRoute instanceof Number number ? number.longValue() : Long.parseLong(perRoute.toString());
                return millis < 0 ? null : Duration.ofMillis(millis);
            } catch (NumberFormatException e) {
                // Gateway ignores it too and applies the client's
            }
        }
        return httpClient.getResponseTimeout();
    }

    private Mono<Void> write(ServerWebExchange exchange, UpstreamFailure failure, String routeId) {
        String path = exchange.getRequest().getPath().value();
        log.warn("{} {} on route {}: {}", failure.status().value(), path, routeId, failure.message());
        byte[] body = json.writeValueAsBytes(failure.body(path, exchange.getRequest().getId()));
        return JsonErrorResponse.write(exchange, failure.status(), body);
    }
}
