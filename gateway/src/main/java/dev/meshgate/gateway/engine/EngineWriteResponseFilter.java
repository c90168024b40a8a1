package dev.meshgate.gateway.engine;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes the body of a response the engine carried ({@link EngineRoutingFilter}), once every route
 * filter has seen its head: the place Gateway's own response writer has, just outside it.
 */
public final class EngineWriteResponseFilter implements GlobalFilter, Ordered {

    /** The exchange attribute holding the engine's call (Spring's attributes are keyed by name). */
    static final String CALL = EngineCall.class.getName();

    public static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange web, GatewayFilterChain chain) {
        return chain.filter(web).then(Mono.defer(() -> {
            EngineCall call = web.getAttribute(CALL);
            return call == null ? Mono.empty() : web.getResponse().writeWith(call.body());
        }));
    }
}
