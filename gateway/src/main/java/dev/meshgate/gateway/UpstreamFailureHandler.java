package dev.meshgate.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;

/**
 * Answers a routed request whose upstream failed with a JSON body that names the service and the
 * upstream: 503 when the service has no instance, 502 when its endpoint refused or dropped the
 * connection, 504 when it did not answer in time. Gateway's defaults say "Unable to find instance"
 * or a bare 500 for a refused connection; the edge's clients and operators need to know which hop.
 * Everything else falls through to Boot's error handling.
 */
@Component
@Order(-2) // before Boot's DefaultErrorWebExceptionHandler (-1)
class UpstreamFailureHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(UpstreamFailureHandler.class);

    private final JsonMapper json;

    UpstreamFailureHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        ServerHttpResponse response = exchange.getResponse();
        if (route == null || response.isCommitted()) {
            return Mono.error(failure);
        }
        URI requestUrl = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        return UpstreamFailure.classify(failure, route.getUri(), requestUrl)
                .map(upstreamFailure -> write(exchange, upstreamFailure, route.getId()))
                .orElseGet(() -> Mono.error(failure));
    }

    private Mono<Void> write(ServerWebExchange exchange, UpstreamFailure failure, String routeId) {
        String path = exchange.getRequest().getPath().value();
        log.warn("{} {} on route {}: {}", failure.status().value(), path, routeId, failure.message());
        byte[] body = json.writeValueAsBytes(failure.body(path, exchange.getRequest().getId()));
        return JsonErrorResponse.write(exchange, failure.status(), body);
    }
}
