package dev.meshgate.gateway.fastpath;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FastRouteTableTest {

    @Test
    void takesTheShippedRouteShapeForBalancedAndFixedUris() {
        FastRouteTable table = table(
                definition("planner", "lb://planner", "Path=/planner/**", "StripPrefix=1"),
                definition("bench", "http://127.0.0.1:9101", "Path=/bench/**"));

        assertThat(table.size()).isEqualTo(2);
        FastRoute planner = table.lookup("/planner/plans/42?depth=2");
        assertThat(planner.id()).isEqualTo("planner");
        assertThat(planner.service()).isEqualTo("planner");
        assertThat(planner.strip()).isEqualTo(1);
        FastRoute bench = table.lookup("/bench");
        assertThat(bench.host()).isEqualTo("127.0.0.1");
        assertThat(bench.port()).isEqualTo(9101);
        assertThat(bench.strip()).isZero();
        assertThat(table.lookup("/benchmark/x")).isNull();
        assertThat(table.lookup("/other")).isNull();
    }

    @Test
    void leavesEveryOtherShapeToGateway() {
        FastRouteTable table = table(
                definition("header", "lb://a", "Path=/a/**", "AddRequestHeader=x-a,1"),
                definition("two", "lb://b", "Path=/b/**", "Method=GET"),
                definition("var", "lb://c", "Path=/{segment}/c"),
                definition("exact", "lb://d", "Path=/d"),
                definition("https", "https://example.org", "Path=/e/**"));

        assertThat(table.size()).isZero();
        assertThat(table.lookup("/a/x")).isNull();
    }

    @Test
    void aRouteGatewayTestsFirstKeepsItsPrecedence() {
        FastRouteTable table = table(
                definition("first", "lb://first", "Path=/shared/**"),
                definition("second", "lb://second", "Path=/shared/**"),
                definition("opaque", "lb://opaque", "Host=example.org"),
                definition("late", "lb://late", "Path=/late/**"));

        assertThat(table.lookup("/shared/x").id()).isEqualTo("first");
        // the Host route might match /late/... first: Gateway decides
        assertThat(table.lookup("/late/x")).isNull();
    }

    @Test
    void aCatchAllRouteIsGatewaysAndLeavesTheRoutesBeforeItFast() {
        FastRouteTable table = table(
                definition("planner", "lb://planner", "Path=/planner/**", "StripPrefix=1"),
                definition("everything", "lb://planner", "Path=/**"),
                definition("late", "lb://late", "Path=/late/**"));

        assertThat(table.size()).isEqualTo(1);
        assertThat(table.lookup("/planner/x").id()).isEqualTo("planner");
        assertThat(table.lookup("/late/x")).isNull();
        assertThat(table.lookup("/other")).isNull();
    }

    @Test
    void neverTakesReservedSegmentsOrPathsGatewayMatchesDifferently() {
        FastRouteTable table = table(
                definition("actuator", "lb://a", "Path=/actuator/**"),
                definition("p", "lb://p", "Path=/p/**"));

        assertThat(table.lookup("/actuator/health")).isNull();
        assertThat(table.lookup("/p/a%2Fb")).isNull();
        assertThat(table.lookup("/p/a;v=1")).isNull();
        assertThat(table.lookup("/p//a")).isNull();
        assertThat(table.lookup("/p/../x")).isNull();
        assertThat(table.lookup("/p/a?q=%2F").id()).isEqualTo("p");
    }

    @Test
    void stripsLeadingSegmentsLikeStripPrefix() {
        FastRoute route = new FastRoute("r", "lb://s", "s", 1, "s", null, -1);

        assertThat(route.target("/s/plans/42?depth=2")).isEqualTo("/plans/42?depth=2");
        assertThat(route.target("/s")).isEqualTo("/");
        assertThat(route.target("/s/")).isEqualTo("/");
        assertThat(route.target("/s/a/")).isEqualTo("/a/");
        assertThat(route.target("/s?x=1")).isEqualTo("/?x=1");
        assertThat(new FastRoute("r", "lb://s", "s", 2, "s", null, -1).target("/s/v1/x")).isEqualTo("/x");
    }

    private static FastRouteTable table(RouteDefinition... definitions) {
        List<Route> routes = new ArrayList<>();
        Map<String, RouteDefinition> byId = new HashMap<>();
        for (RouteDefinition definition : definitions) {
            Route.AsyncBuilder route = Route.async().id(definition.getId()).uri(definition.getUri())
                    .asyncPredicate(exchange -> reactor.core.publisher.Mono.just(true));
            for (FilterDefinition filter : definition.getFilters()) {
                route.filter((exchange, chain) -> chain.filter(exchange));
            }
            routes.add(route.build());
            byId.put(definition.getId(), definition);
        }
        return FastRouteTable.of(routes, byId, List.of("actuator"));
    }

    private static RouteDefinition definition(String id, String uri, String predicate, String... filters) {
        RouteDefinition definition = new RouteDefinition();
        definition.setId(id);
        definition.setUri(URI.create(uri));
        definition.setPredicates(List.of(new PredicateDefinition(predicate)));
        List<FilterDefinition> filterDefinitions = new ArrayList<>();
        for (String filter : filters) {
            filterDefinitions.add(new FilterDefinition(filter));
        }
        definition.setFilters(filterDefinitions);
        return definition;
    }
}
