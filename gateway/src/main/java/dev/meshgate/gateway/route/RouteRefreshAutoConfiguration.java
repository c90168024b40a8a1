package dev.meshgate.gateway.route;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Registers {@link RouteRefreshOnChange} in place of Gateway's route refresh listener, which the
 * gateway's configuration switches off ({@value #GATEWAY_LISTENER}=false). Turning Gateway's
 * listener back on removes this one, so routes are never refreshed twice per event.
 */
@AutoConfiguration(before = GatewayAutoConfiguration.class)
@ConditionalOnProperty(name = RouteRefreshAutoConfiguration.GATEWAY_LISTENER, havingValue = "false")
public class RouteRefreshAutoConfiguration {

    static final String GATEWAY_LISTENER = "spring.cloud.gateway.server.webflux.route-refresh-listener.enabled";
    static final String DISCOVERY_LOCATOR = "spring.cloud.gateway.server.webflux.discovery.locator.enabled";

    @Bean
    RouteRefreshOnChange routeRefreshOnChange(ApplicationEventPublisher publisher, Environment environment) {
        return new RouteRefreshOnChange(publisher, environment.getProperty(DISCOVERY_LOCATOR, Boolean.class, false));
    }
}
