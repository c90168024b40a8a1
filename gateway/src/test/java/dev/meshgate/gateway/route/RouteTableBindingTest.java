package dev.meshgate.gateway.route;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.context.properties.ConfigurationPropertiesRebinder;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route table bound in one pass gives what Boot's binder gives, on every shape a route file takes:
 * each case runs with {@link RouteTableBinding} and with it switched off, and compares.
 */
class RouteTableBindingTest {

    private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(GatewayProperties.class)
    static class GatewayPropertiesOnly {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(GatewayPropertiesOnly.class)
            .withConfiguration(AutoConfigurations.of(RouteTableBindingAutoConfiguration.class,
                    ConfigurationPropertiesRebinderAutoConfiguration.class));

    @Test
    void bindsEveryShapeOfRouteAsBootDoes() {
        Map<String, Object> routes = new LinkedHashMap<>();
        routes.put("upstream.host", "127.0.0.1");
        route(routes, 0, "http://${upstream.host}:8081", "Path=/orders/**", "StripPrefix=1");
        // full form: names and arguments, several predicates and filters, metadata, order, enabled
        routes.put(ROUTES + "[1].id", "payments");
        routes.put(ROUTES + "[1].uri", "lb://payments");
        routes.put(ROUTES + "[1].order", "-5");
        routes.put(ROUTES + "[1].enabled", "false");
        routes.put(ROUTES + "[1].predicates[0].name", "Path");
        routes.put(ROUTES + "[1].predicates[0].args.patterns", "/payments/**");
        routes.put(ROUTES + "[1].predicates[1]", "Method=GET,POST");
        routes.put(ROUTES + "[1].filters[0].name", "AddRequestHeader");
        routes.put(ROUTES + "[1].filters[0].args.name", "X-Mesh");
        routes.put(ROUTES + "[1].filters[0].args.value", "${upstream.host}");
        routes.put(ROUTES + "[1].filters[1]", "StripPrefix=1");
        routes.put(ROUTES + "[1].metadata.response-timeout", "2000");
        routes.put(ROUTES + "[1].metadata.labels.team", "billing");
        for (int i = 2; i < 12; i++) { // two-digit indexes sort numerically, not as text
            route(routes, i, "http://127.0.0.1:9" + i, "Path=/r" + i + "/**", "StripPrefix=1");
        }

        List<RouteDefinition> bound = boundRoutes(true, sources(routes));

        assertThat(bound).isEqualTo(boundRoutes(false, sources(routes)));
        assertThat(bound).hasSize(12);
        assertThat(bound.get(0).getUri()).isEqualTo(URI.create("http://127.0.0.1:8081"));
        assertThat(bound.get(0).getPredicates()).containsExactly(new PredicateDefinition("Path=/orders/**"));
        RouteDefinition payments = bound.get(1);
        assertThat(payments.getOrder()).isEqualTo(-5);
        assertThat(payments.isEnabled()).isFalse();
        assertThat(payments.getPredicates()).extracting(PredicateDefinition::getName).containsExactly("Path", "Method");
        assertThat(payments.getFilters()).extracting(FilterDefinition::getName)
                .containsExactly("AddRequestHeader", "StripPrefix");
        assertThat(payments.getFilters().get(0).getArgs()).containsEntry("value", "127.0.0.1");
        assertThat(payments.getMetadata()).containsEntry("response-timeout", "2000")
                .containsEntry("labels", Map.of("team", "billing"));
        assertThat(bound.get(11).getId()).isEqualTo("r11");
    }

    @Test
    void theFirstSourceHoldingRoutesSuppliesAllOfThem() {
        Map<String, Object> higher = new LinkedHashMap<>();
        route(higher, 0, "http://127.0.0.1:7001", "Path=/new/**", "StripPrefix=1");
        Map<String, Object> lower = new LinkedHashMap<>();
        route(lower, 0, "http://127.0.0.1:7000", "Path=/old/**", "StripPrefix=1");
        route(lower, 1, "http://127.0.0.1:7000", "Path=/older/**", "StripPrefix=1");

        List<RouteDefinition> bound = boundRoutes(true, sources(Map.of("unrelated", "1"), higher, lower));

        assertThat(bound).isEqualTo(boundRoutes(false, sources(Map.of("unrelated", "1"), higher, lower)));
        assertThat(bound).extracting(RouteDefinition::getId).containsExactly("r0");
        assertThat(bound.get(0).getUri().getPort()).isEqualTo(7001);
    }

    @Test
    void noRoutesLeavesTheTableEmpty() {
        for (boolean onePass : new boolean[] {true, false}) {
            run(onePass, sources(Map.of("unrelated", "1")),
                    context -> assertThat(context.getBean(GatewayProperties.class).getRoutes()).isEmpty());
        }
    }

    @Test
    void aRouteWithoutPredicatesFailsValidationAsBefore() {
        Map<String, Object> routes = new LinkedHashMap<>();
        route(routes, 0, "http://127.0.0.1:7000", "Path=/a/**", "StripPrefix=1");
        routes.put(ROUTES + "[1].id", "no-predicates");
        routes.put(ROUTES + "[1].uri", "http://127.0.0.1:7000");

        for (boolean onePass : new boolean[] {true, false}) {
            run(onePass, sources(routes), context -> assertThat(context).getFailure()
                    .rootCause().hasMessageContaining("routes[1].predicates"));
        }
    }

    @Test
    void anInvalidValueNamesItsProperty() {
        Map<String, Object> routes = new LinkedHashMap<>();
        route(routes, 0, "http://127.0.0.1:7000", "Path=/a/**", "StripPrefix=1");
        routes.put(ROUTES + "[0].order", "first");

        for (boolean onePass : new boolean[] {true, false}) {
            run(onePass, sources(routes), context -> assertThat(context).getFailure().cause()
                    .isInstanceOf(BindException.class)
                    .hasMessage("Failed to bind properties under '" + ROUTES + "[0].order' to int"));
        }
    }

    @Test
    void aGapInTheIndexesIsReportedByBootsBinder() {
        Map<String, Object> routes = new LinkedHashMap<>();
        route(routes, 0, "http://127.0.0.1:7000", "Path=/a/**", "StripPrefix=1");
        route(routes, 2, "http://127.0.0.1:7000", "Path=/c/**", "StripPrefix=1");

        for (boolean onePass : new boolean[] {true, false}) {
            run(onePass, sources(routes), context -> assertThat(context).getFailure()
                    .rootCause().hasMessageContaining("were left unbound"));
        }
    }

    @Test
    void aRefreshReplacesTheTableAndDropsRemovedRoutes() {
        Map<String, Object> routes = new LinkedHashMap<>();
        route(routes, 0, "http://127.0.0.1:7000", "Path=/a/**", "StripPrefix=1");
        route(routes, 1, "http://127.0.0.1:7000", "Path=/b/**", "StripPrefix=1");
        route(routes, 2, "http://127.0.0.1:7000", "Path=/c/**", "StripPrefix=1");

        for (boolean onePass : new boolean[] {true, false}) {
            run(onePass, sources(routes), context -> {
                GatewayProperties gateway = context.getBean(GatewayProperties.class);
                assertThat(gateway.getRoutes()).extracting(RouteDefinition::getId).containsExactly("r0", "r1", "r2");

                Map<String, Object> edited = new LinkedHashMap<>();
                route(edited, 0, "http://127.0.0.1:7000", "Path=/a/**", "StripPrefix=1");
                route(edited, 1, "http://127.0.0.1:7002", "Path=/c/**", "StripPrefix=1");
                reload(context, edited);

                assertThat(gateway.getRoutes()).extracting(RouteDefinition::getId).containsExactly("r0", "r1");
                assertThat(gateway.getRoutes().get(1).getUri().getPort()).isEqualTo(7002);
                if (onePass) {
                    assertThat(context.getBean(RouteTableBinding.class).lastBoundInOnePass()).isEqualTo(2);
                }

                // a reload that finds no routes at all (the config server away) keeps those in force
                reload(context, Map.of());

                assertThat(gateway.getRoutes()).extracting(RouteDefinition::getId).containsExactly("r0", "r1");
            });
        }
    }

    /** What a configuration refresh does: the new source in place of the old, then every bean rebound. */
    private static void reload(ConfigurableApplicationContext context, Map<String, Object> routes) {
        context.getEnvironment().getPropertySources().replace("routes-0", new MapPropertySource("routes-0", routes));
        context.getBean(ConfigurationPropertiesRebinder.class).rebind();
    }

    private static void route(Map<String, Object> properties, int index, String uri, String predicate, String filter) {
        String route = ROUTES + "[" + index + "]";
        properties.put(route + ".id", "r" + index);
        properties.put(route + ".uri", uri);
        properties.put(route + ".predicates[0]", predicate);
        properties.put(route + ".filters[0]", filter);
    }

    @SafeVarargs
    private static List<MapPropertySource> sources(Map<String, Object>... highestFirst) {
        List<MapPropertySource> sources = new ArrayList<>();
        for (int i = 0; i < highestFirst.length; i++) {
            sources.add(new MapPropertySource("routes-" + i, highestFirst[i]));
        }
        return sources;
    }

    private List<RouteDefinition> boundRoutes(boolean onePass, List<MapPropertySource> sources) {
        List<RouteDefinition> routes = new ArrayList<>();
        run(onePass, sources, context -> {
            assertThat(context).hasNotFailed();
            routes.addAll(context.getBean(GatewayProperties.class).getRoutes());
            if (onePass) { // bound by the one pass, not left to Boot's binder
                assertThat(context.getBean(RouteTableBinding.class).lastBoundInOnePass()).isEqualTo(routes.size());
            } else {
                assertThat(context).doesNotHaveBean(RouteTableBinding.class);
            }
        });
        return routes;
    }

    private void run(boolean onePass, List<MapPropertySource> highestFirst,
            Consumer<AssertableApplicationContext> assertions) {
        runner.withPropertyValues("mesh.gateway.route-table-binding.enabled=" + onePass)
                .withInitializer(context -> {
                    // in order after the runner's own values, which hold only the switch
                    for (MapPropertySource source : highestFirst) {
                        context.getEnvironment().getPropertySources().addLast(source);
                    }
                })
                .run(assertions::accept);
    }
}
