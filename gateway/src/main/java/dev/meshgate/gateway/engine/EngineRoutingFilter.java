package dev.meshgate.gateway.engine;

import dev.meshgate.proxy.exchange.Destination;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.isAlreadyRouted;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.setAlreadyRouted;

/**
 * The last hop of an {@code lb://} route of Gateway's filter chain, in place of Gateway's Netty
 * routing filter: the endpoint Gateway's load balancer chose is called through the mesh's engine,
 * so the service's policy (its routes and timeouts), the pools and the error answers are the same as
 * on the fast path and inside the mesh. It runs just before Gateway's routing filter and marks the
 * exchange routed, so that one steps aside; WebSocket upgrades and other schemes stay Gateway's.
 */
public final class EngineRoutingFilter implements GlobalFilter, Ordered {

    /** Just before Gateway's routing filter, after every route filter and the load balancer. */
    public static final int ORDER = NettyRoutingFilter.ORDER - 1;

    private final EdgeEngine engine;
    private final ObjectProvider<List<HttpHeadersFilter>> headersFiltersProvider;
    private volatile List<HttpHeadersFilter> headersFilters;

    public EngineRoutingFilter(EdgeEngine engine, ObjectProvider<List<HttpHeadersFilter>> headersFilters) {
        this.engine = engine;
        this.headersFiltersProvider = headersFilters;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange web, GatewayFilterChain chain) {
        URI url = web.getAttribute(GATEWAY_REQUEST_URL_ATTR);
        Route route = web.getAttribute(GATEWAY_ROUTE_ATTR);
        Channel channel = channelOf(web.getRequest());
        if (isAlreadyRouted(web) || url == null || route == null || channel == null
                || !"lb".equals(route.getUri().getScheme()) || !"http".equalsIgnoreCase(url.getScheme())
                || upgrade(web.getRequest())) {
            return chain.filter(web);
        }
        setAlreadyRouted(web);
        String service = route.getUri().getHost();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        Destination destination = new Destination(service, InetSocketAddress.createUnresolved(url.getHost(), port));
        EngineCall call = new EngineCall(web, channel, engine, destination, headersFilters());
        web.getAttributes().put(EngineWriteResponseFilter.CALL, call);
        return call.start(request(web, url)).then(chain.filter(web));
    }

    private HttpRequest request(ServerWebExchange web, URI url) {
        ServerHttpRequest original = web.getRequest();
        HttpHeaders filtered = HttpHeadersFilter.filterRequest(headersFilters(), web);
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        filtered.forEach(headers::set);
        headers.remove(HttpHeaderNames.HOST);
        boolean preserveHost = web.getAttributeOrDefault(PRESERVE_HOST_HEADER_ATTRIBUTE, false);
        String host = original.getHeaders().getFirst(HttpHeaders.HOST);
        headers.set(HttpHeaderNames.HOST, preserveHost && host != null ? host
                : url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort());
        HttpHeaders sent = original.getHeaders();
        if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH) && (sent.getContentLength() > 0
                || sent.containsHeader(HttpHeaders.TRANSFER_ENCODING))) {
            // a body of unknown length goes on chunked, as Gateway's client sends it
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        String target = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            target = target + "?" + url.getRawQuery();
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(original.getMethod().name()), target, headers);
    }

    private List<HttpHeadersFilter> headersFilters() {
        List<HttpHeadersFilter> current = headersFilters;
        if (current == null) {
            current = headersFiltersProvider.getIfAvailable(List::of);
            headersFilters = current;
        }
        return current;
    }

    /** A protocol switch (WebSocket) is Gateway's; an offer of h2c is declined by answering in HTTP/1.1. */
    private static boolean upgrade(ServerHttpRequest request) {
        String upgrade = request.getHeaders().getUpgrade();
        return upgrade != null && !"h2c".equalsIgnoreCase(upgrade);
    }

    /** The client connection under a Reactor Netty request, or null for any other server. */
    private static Channel channelOf(ServerHttpRequest request) {
        Object raw = ServerHttpRequestDecorator.getNativeRequest(request);
        return raw instanceof Connection connection ? connection.channel() : null;
    }
}
