package dev.meshgate.gateway.fastpath;

import dev.meshgate.gateway.ConnectMethodFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import dev.meshgate.core.balance.RoundRobinBalancer;
import dev.meshgate.gateway.engine.EdgeEngine;
import dev.meshgate.gateway.engine.EdgeEngineAutoConfiguration;
import dev.meshgate.gateway.engine.EngineRoutingFilter;
import dev.meshgate.gateway.engine.EngineWriteResponseFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClientsProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.filter.AdaptCachedBodyGlobalFilter;
import org.springframework.cloud.gateway.filter.ForwardPathFilter;
import org.springframework.cloud.gateway.filter.ForwardRoutingFilter;
import org.springframework.cloud.gateway.filter.GatewayMetricsFilter;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.LoadBalancerServiceInstanceCookieFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.filter.RemoveCachedBodyFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.filter.WebsocketRoutingFilter;
import org.springframework.cloud.gateway.filter.WeightCalculatorWebFilter;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Installs the fast path ({@link FastPathHandler}) on every connection of the gateway's server, with
 * a route table rebuilt from Gateway's routes after each refresh. Off with
 * {@code mesh.gateway.fast-path.enabled=false}; also off when Gateway would add forwarding headers
 * ({@code trusted-proxies} set), when a WebFlux base path is set, when tracing is switched off, when
 * the load balancer adds an instance cookie, or when any global or web filter runs that is not in its
 * allow-list ({@link #KNOWN_FILTERS}): the application's own, Spring Security's, none of which it reproduces.
 */
@AutoConfiguration(after = {GatewayAutoConfiguration.class, EdgeEngineAutoConfiguration.class})
@ConditionalOnProperty(prefix = "mesh.gateway.fast-path", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FastPathProperties.class)
public class FastPathAutoConfiguration {

    private static final Log log = LogFactory.getLog(FastPathAutoConfiguration.class);
    static final String PROBABILITY = "management.tracing.sampling.probability";

    @Bean
    FastPath meshFastPath(EdgeEngine engine, DiscoveryClient discovery, MeterRegistry meterRegistry,
            Environment environment, ObjectProvider<Tracer> tracer) {
        return new FastPath(engine, discovery, new RoundRobinBalancer(), new FastPathMetrics(meterRegistry),
                environment.getProperty(PROBABILITY, Double.class, 0.1), tracer.getIfUnique());
    }

    @Bean
    NettyServerCustomizer meshFastPathServerCustomizer(FastPath fastPath, Environment environment,
            ObjectProvider<GlobalFilter> globalFilters, ObjectProvider<WebFilter> webFilters) {
        String reason = unsupported(environment);
        if (reason == null) {
            reason = foreignFilters(Stream.concat(globalFilters.orderedStream(), webFilters.orderedStream()).toList());
        }
        if (reason != null) {
            log.info("Gateway fast path off: " + reason);
            return server -> server;
        }
        return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null && FastPath.supports(channel)) {
                channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, FastPathHandler.NAME,
                        new FastPathHandler(fastPath));
            }
        });
    }

    @Bean
    FastRouteTableRefresher meshFastRouteTableRefresher(FastPath fastPath, RouteLocator routes,
            RouteDefinitionLocator definitions, Environment environment) {
        String actuator = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        List<String> reserved = List.of(firstSegment(actuator), "actuator");
        return new FastRouteTableRefresher(fastPath, routes, definitions, reserved);
    }

    /** Why Gateway would do something per request that the fast path does not, or null. */
    static String unsupported(Environment environment) {
        if (environment.getProperty("spring.cloud.gateway.server.webflux.trusted-proxies") != null) {
            return "trusted-proxies is set (X-Forwarded and Forwarded headers are added by Gateway's filter chain)";
        }
        if (!environment.getProperty("spring.webflux.base-path", "").isEmpty()) {
            return "spring.webflux.base-path is set";
        }
        if (!environment.getProperty("management.tracing.enabled", Boolean.class, true)) {
            return "tracing is off";
        }
        if (addsInstanceCookie(environment)) {
            return "the load balancer's sticky-session add-service-instance-cookie is set (Gateway's filter chain adds the cookie)";
        }
        return null;
    }

    /**
     * The global and web filters known to be harmless for the routes the fast path serves (one Path
     * predicate, StripPrefix at most, an {@code http://} or {@code lb://} URI, no metadata): those of
     * a running gateway, each either reproduced by the fast path or idle for such routes. A class is
     * matched exactly, never by package or supertype: a subclass may do anything.
     */
    static final Set<Class<?>> KNOWN_FILTERS = Set.of(
            // resolves lb:// to an instance of the discovery client: the fast path picks one itself
            // from the same client, and hands the request to Gateway when there is none
            ReactiveLoadBalancerClientFilter.class,
            // adds a cookie only with the load balancer's sticky-session add-service-instance-cookie,
            // which turns the fast path off (unsupported)
            LoadBalancerServiceInstanceCookieFilter.class,
            // the upstream call and the writing of its response: what the fast path does itself
            NettyRoutingFilter.class,
            NettyWriteResponseFilter.class,
            // the upstream URL from the route's URI and the stripped path: FastRoute.target does it
            RouteToRequestUrlFilter.class,
            // act only on a body cached by a predicate or route filter (ReadBody, Retry, ...): no fast route has one
            AdaptCachedBodyGlobalFilter.class,
            RemoveCachedBodyFilter.class,
            // forward: routes only
            ForwardRoutingFilter.class,
            ForwardPathFilter.class,
            // ws:// and wss:// routes, or an Upgrade: websocket request, which the fast path leaves to Gateway
            WebsocketRoutingFilter.class,
            // the gateway.requests timer, which the fast path records itself (FastPathMetrics)
            GatewayMetricsFilter.class,
            // computes the groups of Weight predicates: a fast route has a Path predicate only
            WeightCalculatorWebFilter.class,
            // the engine's lb:// routing and its response writer: the fast path runs the same engine
            EngineRoutingFilter.class,
            EngineWriteResponseFilter.class,
            // the gateway's own: answers CONNECT only, which the fast path hands to Gateway
            ConnectMethodFilter.class);

    /**
     * Filters Gateway runs on every request that the fast path does not know, or null when there are
     * none: any filter not in {@link #KNOWN_FILTERS} (an application's own, Spring Security's
     * WebFilterChainProxy) must see every request, so the fast path stays off.
     */
    static String foreignFilters(List<?> filters) {
        List<String> foreign = filters.stream().map(Object::getClass)
                .filter(type -> !KNOWN_FILTERS.contains(type)).map(Class::getName).toList();
        return foreign.isEmpty() ? null : "filters run on every request that it would bypass: " + foreign;
    }

    /** Whether the load balancer adds its instance cookie to requests, for every service or one. */
    private static boolean addsInstanceCookie(Environment environment) {
        LoadBalancerClientsProperties balancer = Binder.get(environment)
                .bind("spring.cloud.loadbalancer", LoadBalancerClientsProperties.class)
                .orElseGet(LoadBalancerClientsProperties::new);
        return Stream.concat(Stream.of(balancer), balancer.getClients().values().stream())
                .anyMatch(properties -> properties.getStickySession().isAddServiceInstanceCookie());
    }

    private static String firstSegment(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(0, slash);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Sampler.class)
    static class SamplingConfiguration {

        /** Boot's sampler, parent-based over the trace-id ratio, with the fast path's decision honoured. */
        @Bean
        Sampler meshEdgeSampler(Environment environment) {
            return RootSampling.parentBased(environment.getProperty(PROBABILITY, Double.class, 0.1));
        }
    }

    /** Rebuilds the fast path's table whenever Gateway has rebuilt its routes, and once at start. */
    static final class FastRouteTableRefresher implements ApplicationListener<ApplicationEvent> {

        private final FastPath fastPath;
        private final RouteLocator routes;
        private final RouteDefinitionLocator definitions;
        private final List<String> reserved;

        FastRouteTableRefresher(FastPath fastPath, RouteLocator routes, RouteDefinitionLocator definitions,
                List<String> reserved) {
            this.fastPath = fastPath;
            this.routes = routes;
            this.definitions = definitions;
            this.reserved = reserved;
        }

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof ApplicationReadyEvent
                    || (event instanceof RefreshRoutesResultEvent result && result.isSuccess())) {
                rebuild();
            }
        }

        void rebuild() {
            Mono<Map<String, RouteDefinition>> byId = definitions.getRouteDefinitions()
                    .filter(definition -> definition.getId() != null)
                    .collectMap(RouteDefinition::getId, definition -> definition, HashMap::new);
            Mono.zip(routes.getRoutes().collectList(), byId)
                    .map(both -> FastRouteTable.of(both.getT1(), both.getT2(), reserved))
                    .subscribe(table -> {
                        fastPath.table(table);
                        log.info("Gateway fast path: " + table.size() + " routes served at the connection level");
                    }, failure -> {
                        // without a table every request takes Gateway's filter chain: slower, never wrong
                        fastPath.table(FastRouteTable.empty());
                        log.warn("Gateway fast path table not rebuilt, all requests take the filter chain: " + failure);
                    });
        }
    }
}
