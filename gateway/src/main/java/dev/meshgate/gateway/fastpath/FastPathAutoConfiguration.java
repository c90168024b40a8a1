package dev.meshgate.gateway.fastpath;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.filter.GlobalFilter;
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
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Installs the fast path ({@link FastPathHandler}) on every connection of the gateway's server, with
 * a route table rebuilt from Gateway's routes after each refresh. Off with
 * {@code mesh.gateway.fast-path.enabled=false}; also off when Gateway would add forwarding headers
 * ({@code trusted-proxies} set), when a WebFlux base path is set, when tracing is switched off, or
 * when the application adds global or web filters of its own, none of which it reproduces.
 */
@AutoConfiguration(after = GatewayAutoConfiguration.class)
@ConditionalOnProperty(prefix = "mesh.gateway.fast-path", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FastPathProperties.class)
public class FastPathAutoConfiguration {

    private static final Log log = LogFactory.getLog(FastPathAutoConfiguration.class);
    static final String PROBABILITY = "management.tracing.sampling.probability";
    /**
     * How long an idle upstream connection is kept when Gateway's {@code httpclient.pool.max-idle-time}
     * is not set: as long as a mesh-node keeps its own ({@code mesh.proxy.idle-timeout}).
     */
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    @Bean
    FastPath meshFastPath(DiscoveryClient discovery, MeterRegistry meterRegistry, JsonMapper json,
            HttpClientProperties httpClient, Environment environment, ObjectProvider<Tracer> tracer) {
        Integer connectTimeout = httpClient.getConnectTimeout();
        Duration responseTimeout = httpClient.getResponseTimeout();
        Duration maxIdleTime = httpClient.getPool().getMaxIdleTime();
        return new FastPath(discovery, new FastPathMetrics(meterRegistry), json::writeValueAsBytes,
                connectTimeout == null ? 45_000 : connectTimeout, responseTimeout == null ? 0 : responseTimeout.toMillis(),
                (maxIdleTime == null || maxIdleTime.isNegative() || maxIdleTime.isZero() ? DEFAULT_IDLE_TIMEOUT : maxIdleTime).toNanos(),
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
        return null;
    }

    /**
     * Filters Gateway runs on every request that the fast path does not know, or null when there are
     * none: an application's own global or web filter must see every request, so the fast path stays off.
     */
    static String foreignFilters(List<?> filters) {
        List<String> foreign = filters.stream().map(filter -> filter.getClass().getName())
                .filter(name -> !name.startsWith("org.springframework.") && !name.startsWith("dev.meshgate.gateway.engine.")).toList();
        return foreign.isEmpty() ? null : "filters run on every request that it would bypass: " + foreign;
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
