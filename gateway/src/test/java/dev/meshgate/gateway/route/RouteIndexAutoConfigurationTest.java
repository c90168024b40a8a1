package dev.meshgate.gateway.route;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteLocator;
import reactor.core.publisher.Flux;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The switch and the back-off of the indexed route lookup. */
class RouteIndexAutoConfigurationTest {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RouteIndexAutoConfiguration.class))
            .withBean(FilteringWebHandler.class, () -> new FilteringWebHandler(List.of(), false))
            .withBean(RouteLocator.class, () -> Flux::empty)
            .withBean(RouteDefinitionLocator.class, () -> Flux::empty)
            .withBean(GlobalCorsProperties.class, GlobalCorsProperties::new);

    @Test
    void indexesRouteLookupByDefault() {
        runner.run(context -> assertThat(context).getBean(RoutePredicateHandlerMapping.class)
                .isInstanceOf(IndexedRoutePredicateHandlerMapping.class));
    }

    @Test
    void leavesRouteLookupToGatewayWhenSwitchedOff() {
        runner.withPropertyValues("mesh.gateway.route-index.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(RoutePredicateHandlerMapping.class));
    }

    @Test
    void backsOffForAnApplicationsOwnHandlerMapping() {
        runner.withBean("ownMapping", RoutePredicateHandlerMapping.class,
                        () -> new RoutePredicateHandlerMapping(new FilteringWebHandler(List.of(), false), Flux::empty,
                                new GlobalCorsProperties(), new org.springframework.mock.env.MockEnvironment()))
                .run(context -> assertThat(context).getBean(RoutePredicateHandlerMapping.class)
                        .isNotInstanceOf(IndexedRoutePredicateHandlerMapping.class));
    }
}
