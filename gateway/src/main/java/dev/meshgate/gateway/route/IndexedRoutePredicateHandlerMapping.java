package dev.meshgate.gateway.route;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_PREDICATE_PATH_CONTAINER_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_PREDICATE_ROUTE_ATTR;

/**
 * Gateway's handler mapping with an indexed route lookup: a request's predicates are tested only on
 * the routes its first path segment can match (see {@link RouteIndex}), in route order, so lookup
 * cost stays flat as the table grows where Gateway's own lookup tests every route in turn.
 *
 * <p>The index is built from the cached route table and rebuilt whenever Gateway has rebuilt that
 * table ({@link RefreshRoutesResultEvent}); a failed refresh keeps the routes, and so the index, as
 * they were.
 */
public class IndexedRoutePredicateHandlerMapping extends RoutePredicateHandlerMapping
        implements ApplicationListener<RefreshRoutesResultEvent> {

    private static final Log log = LogFactory.getLog(IndexedRoutePredicateHandlerMapping.class);

    private final RouteLocator routeLocator;
    private final RouteDefinitionLocator definitionLocator;
    private final String basePath;
    private final AtomicReference<Mono<RouteIndex>> index = new AtomicReference<>();

    public IndexedRoutePredicateHandlerMapping(FilteringWebHandler webHandler, RouteLocator routeLocator,
            RouteDefinitionLocator definitionLocator, GlobalCorsProperties globalCorsProperties,
            Environment environment) {
        super(webHandler, routeLocator, globalCorsProperties, environment);
        this.routeLocator = routeLocator;
        this.definitionLocator = definitionLocator;
        this.basePath = environment.getProperty("spring.webflux.base-path", "");
        this.index.set(buildIndex());
    }

    @Override
    public void onApplicationEvent(RefreshRoutesResultEvent event) {
        if (event.isSuccess()) {
            Mono<RouteIndex> rebuilt = buildIndex();
            index.set(rebuilt);
            // built now rather than by the first request after the refresh
            rebuilt.subscribe(built -> { }, failure -> log.warn("Route index not rebuilt: " + failure));
        }
    }

    /** The current index, built on first use after each refresh and shared by every request. */
    public Mono<RouteIndex> index() {
        return index.get();
    }

    @Override
    protected Mono<Route> lookupRoute(ServerWebExchange exchange) {
        return index.get().flatMap(routeIndex -> Flux.fromIterable(routeIndex.candidates(requestPath(exchange)))
                .filterWhen(route -> {
                    // as in Gateway's lookup: predicates and their logs see the route being tested
                    exchange.getAttributes().put(GATEWAY_PREDICATE_ROUTE_ATTR, route.getId());
                    try {
                        return route.getPredicate().apply(exchange);
                    }
                    catch (Exception e) {
                        log.error("Error applying predicate for route: " + route.getId(), e);
                    }
                    return Mono.just(false);
                })
                .next())
                .map(route -> {
                    validateRoute(route, exchange);
                    return route;
                });
    }

    /** The path exactly as the Path predicate reads it, parsed once and shared with it. */
    private static PathContainer requestPath(ServerWebExchange exchange) {
        return (PathContainer) exchange.getAttributes().computeIfAbsent(GATEWAY_PREDICATE_PATH_CONTAINER_ATTR,
                key -> PathContainer.parsePath(exchange.getRequest().getURI().getRawPath()));
    }

    private Mono<RouteIndex> buildIndex() {
        Mono<Map<String, RouteDefinition>> definitions = definitionLocator.getRouteDefinitions()
                .filter(definition -> definition.getId() != null)
                .collectMap(RouteDefinition::getId, definition -> definition, HashMap::new)
                .onErrorResume(failure -> {
                    // without definitions every route is checked in order: slower, never wrong
                    log.warn("Route definitions unreadable, route lookup not indexed: " + failure);
                    return Mono.just(Map.of());
                });
        return Mono.zip(routeLocator.getRoutes().collectList(), definitions)
                .map(routesAndDefinitions -> RouteIndex.of(routesAndDefinitions.getT1(), routesAndDefinitions.getT2(),
                        basePath))
                .doOnNext(built -> log.info("Route index built: " + built.size() + " routes, "
                        + built.alwaysCheckedCount() + " checked for every request"))
                // kept until the next refresh; a failed build is retried by the next request
                .cache(built -> Duration.ofMillis(Long.MAX_VALUE), failure -> Duration.ZERO, () -> Duration.ZERO);
    }
}
