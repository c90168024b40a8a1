package dev.meshgate.gateway;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers a request that no route matches with a 404 that says so. Without it the request falls
 * through to WebFlux's static resource handler and the client reads "No static resource", which
 * sends operators looking for files instead of at the route table.
 */
@Component
@Order(-2) // before Boot's DefaultErrorWebExceptionHandler (-1)
class NoRouteHandler implements WebExceptionHandler {

    private final JsonMapper json;

    NoRouteHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (!(failure instanceof NoResourceFoundException) || exchange.getResponse().isCommitted()
                || exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) != null) {
            return Mono.error(failure);
        }
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().value();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", HttpStatus.NOT_FOUND.value());
        body.put("error", "no_route");
        body.put("message", "no route matches " + request.getMethod() + " " + path);
        body.put("path", path);
        body.put("requestId", request.getId());
        return JsonErrorResponse.write(exchange, HttpStatus.NOT_FOUND, json.writeValueAsBytes(body));
    }
}
