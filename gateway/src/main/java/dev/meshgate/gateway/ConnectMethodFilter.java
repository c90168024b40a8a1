package dev.meshgate.gateway;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers CONNECT with a 501 {@code method_not_supported}: the gateway is a reverse proxy and opens no
 * tunnels. Without it a CONNECT request was routed like any other: a 404 that blamed the route table
 * when no route matched its target, and forwarded to the upstream of a catch-all route, where it hung
 * until the response timeout. First of all filters, before routing and before authentication: no
 * route and no credential makes it supported. The fast path never takes CONNECT (it hands it to
 * Gateway), so this filter sees every one.
 */
@Component
public class ConnectMethodFilter implements WebFilter, Ordered {

    /** Spring's HttpMethod has no constant for it. */
    private static final HttpMethod CONNECT = HttpMethod.valueOf("CONNECT");

    private final JsonMapper json;

    ConnectMethodFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!CONNECT.equals(request.getMethod())) {
            return chain.filter(exchange);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", HttpStatus.NOT_IMPLEMENTED.value());
        body.put("error", "method_not_supported");
        body.put("message", "CONNECT tunnels are not supported by the gateway");
        // no path: the target of a CONNECT is an authority (example.com:443), which WebFlux would show as one
        body.put("method", CONNECT.name());
        body.put("requestId", request.getId());
        return JsonErrorResponse.write(exchange, HttpStatus.NOT_IMPLEMENTED, json.writeValueAsBytes(body));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
