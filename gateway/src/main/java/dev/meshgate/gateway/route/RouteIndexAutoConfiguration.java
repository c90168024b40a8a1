package dev.meshgate.gateway.route;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.accept.ApiVersionStrategy;

/**
 * Replaces Gateway's route handler mapping with {@link IndexedRoutePredicateHandlerMapping} unless
 * {@code mesh.gateway.route-index.enabled=false} or the application defines its own mapping. Runs
 * before Gateway's auto-configuration, whose mapping backs off when one exists.
 */
@AutoConfiguration(before = GatewayAutoConfiguration.class)
@ConditionalOnProperty(prefix = "mesh.gateway.route-index", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(RouteIndexProperties.class)
public class RouteIndexAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(RoutePredicateHandlerMapping.class)
    IndexedRoutePredicateHandlerMapping indexedRoutePredicateHandlerMapping(FilteringWebHandler webHandler,
            RouteLocator routeLocator, RouteDefinitionLocator routeDefinitionLocator,
            GlobalCorsProperties globalCorsProperties, Environment environment,
            ObjectProvider<ApiVersionStrategy> apiVersionStrategy) {
        IndexedRoutePredicateHandlerMapping mapping = new IndexedRoutePredicateHandlerMapping(webHandler,
                routeLocator, routeDefinitionLocator, globalCorsProperties, environment);
        apiVersionStrategy.ifAvailable(mapping::setApiVersionStrategy);
        return mapping;
    }
}
