package dev.meshgate.gateway.route;

import org.junit.jupiter.api.Test;
import org.springframework.boot.webflux.autoconfigure.WebFluxProperties;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.handler.AsyncPredicate;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.predicate.HostRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.MethodRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.PathRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexed lookup picks the same route as Gateway's linear scan (every route's predicate in
 * route order, first match wins) for mixed route tables, while testing fewer routes.
 */
class RouteIndexLookupTest {

    private static final PathRoutePredicateFactory PATH = new PathRoutePredicateFactory(new WebFluxProperties());
    private static final HostRoutePredicateFactory HOST = new HostRoutePredicateFactory();
    private static final MethodRoutePredicateFactory METHOD = new MethodRoutePredicateFactory();

    private static final List<String> REQUEST_PATHS = List.of("/", "/a", "/a/", "/a/1", "/a/1/2", "/A/1", "/b",
            "/b/c", "/b/c/d", "/x/b", "/a/b", "/c1/z", "/c/b", "//a/b", "/a;jsessionid=1/2", "/%61/1", "/zzz");
    private static final List<String> HOSTS = List.of("api.example.org", "www.example.org", "other.net");
    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.POST);

    /** A route table and the definitions its routes were built from, in Gateway's route order. */
    private record Table(List<Route> routes, List<RouteDefinition> definitions) {

        IndexedRoutePredicateHandlerMapping indexedMapping() {
            return new IndexedRoutePredicateHandlerMapping(new FilteringWebHandler(List.of(), false),
                    () -> Flux.fromIterable(routes), () -> Flux.fromIterable(definitions),
                    new GlobalCorsProperties(), new MockEnvironment());
        }

        String linearScanChoice(ServerWebExchange exchange) {
            Route chosen = Flux.fromIterable(routes).filterWhen(route -> route.getPredicate().apply(exchange))
                    .next().block();
            return chosen == null ? null : chosen.getId();
        }
    }

    private static final class TableBuilder {

        private final List<Route> routes = new ArrayList<>();
        private final List<RouteDefinition> definitions = new ArrayList<>();

        /** A route as Gateway builds it from configuration: every predicate must hold. */
        TableBuilder defined(String id, int order, String... predicates) {
            RouteDefinition definition = new RouteDefinition();
            definition.setId(id);
            definition.setOrder(order);
            AsyncPredicate<ServerWebExchange> combined = null;
            for (String text : predicates) {
                PredicateDefinition predicate = new PredicateDefinition(text);
                definition.getPredicates().add(predicate);
                AsyncPredicate<ServerWebExchange> next = predicate(text);
                combined = combined == null ? next : combined.and(next);
            }
            definitions.add(definition);
            return dsl(id, order, combined);
        }

        /** A route built in code, with no definition: predicates may be combined any way. */
        TableBuilder dsl(String id, int order, AsyncPredicate<ServerWebExchange> predicate) {
            routes.add(Route.async().id(id).uri("http://127.0.0.1:1").order(order).asyncPredicate(predicate).build());
            return this;
        }

        Table build() {
            // Gateway's CachingRouteLocator: a stable sort by order, so ties keep their declared order
            List<Route> ordered = new ArrayList<>(routes);
            AnnotationAwareOrderComparator.sort(ordered);
            return new Table(ordered, definitions);
        }
    }

    private static AsyncPredicate<ServerWebExchange> predicate(String text) {
        String name = text.substring(0, text.indexOf('='));
        List<String> args = Arrays.asList(text.substring(text.indexOf('=') + 1).split(","));
        return switch (name) {
            case "Path" -> PATH.applyAsync(new PathRoutePredicateFactory.Config().setPatterns(args));
            case "Host" -> HOST.applyAsync(new HostRoutePredicateFactory.Config().setPatterns(args));
            case "Method" -> {
                MethodRoutePredicateFactory.Config config = new MethodRoutePredicateFactory.Config();
                config.setMethods(args.stream().map(HttpMethod::valueOf).toArray(HttpMethod[]::new));
                yield METHOD.applyAsync(config);
            }
            default -> throw new IllegalArgumentException("no predicate named " + name + " in this test");
        };
    }

    private static ServerWebExchange exchange(HttpMethod method, String host, String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.method(method, "http://" + host + path));
    }

    private static String indexedChoice(IndexedRoutePredicateHandlerMapping mapping, ServerWebExchange exchange) {
        Route chosen = mapping.lookupRoute(exchange).block();
        return chosen == null ? null : chosen.getId();
    }

    private static void assertSameChoiceForEveryRequest(Table table) {
        IndexedRoutePredicateHandlerMapping mapping = table.indexedMapping();
        for (HttpMethod method : METHODS) {
            for (String host : HOSTS) {
                for (String path : REQUEST_PATHS) {
                    String expected = table.linearScanChoice(exchange(method, host, path));
                    assertThat(indexedChoice(mapping, exchange(method, host, path)))
                            .as("%s %s%s in %s", method, host, path, table.routes())
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void choosesTheSameRouteAsTheLinearScanForAMixedTable() {
        Table table = new TableBuilder()
                .defined("host-only", 0, "Host=api.example.org")
                .defined("a-id", 0, "Path=/a/{id}")
                .defined("a-all", 0, "Path=/a/**")
                .defined("x-then-b", 0, "Path=/{x}/b")
                .defined("post-only", 0, "Method=POST")
                .defined("b-c-get", 0, "Path=/b/c/**", "Method=GET")
                .defined("two-prefixes", 0, "Path=/c/**,/zzz")
                .defined("wildcard-first", 0, "Path=/c*/**")
                .defined("tied-a-later", 0, "Path=/a/**")
                .defined("everything", 5, "Path=/**")
                .defined("ordered-first", -1, "Path=/b/**", "Host=www.example.org")
                .dsl("dsl-a-or-host", 1, predicate("Path=/a/**").or(predicate("Host=other.net")))
                .dsl("dsl-not-b", 2, predicate("Path=/b/**").negate())
                .build();

        assertSameChoiceForEveryRequest(table);
    }

    @Test
    void choosesTheSameRouteAsTheLinearScanForRandomTables() {
        List<String> paths = List.of("Path=/a/**", "Path=/a/{id}", "Path=/{x}/b", "Path=/**", "Path=/a",
                "Path=/b/c/**", "Path=/c*/**", "Path=/A/**", "Path=/b/**,/a/b", "Path=/x/{y}");
        List<String> others = List.of("Host=api.example.org", "Host=**.example.org", "Method=GET", "Method=POST");
        Random random = new Random(20261122);
        for (int tableNumber = 0; tableNumber < 100; tableNumber++) {
            TableBuilder builder = new TableBuilder();
            int size = 1 + random.nextInt(12);
            for (int i = 0; i < size; i++) {
                List<String> predicates = new ArrayList<>();
                if (random.nextInt(5) > 0) {
                    predicates.add(paths.get(random.nextInt(paths.size())));
                }
                if (predicates.isEmpty() || random.nextBoolean()) {
                    predicates.add(others.get(random.nextInt(others.size())));
                }
                builder.defined("t" + tableNumber + "-r" + i, random.nextInt(3), predicates.toArray(String[]::new));
            }
            assertSameChoiceForEveryRequest(builder.build());
        }
    }

    @Test
    void testsOnlyTheRoutesTheFirstSegmentCanMatchPlusTheUnindexable() {
        Table table = new TableBuilder()
                .defined("planner", 0, "Path=/planner/**")
                .defined("search", 0, "Path=/search/**")
                .defined("host-only", 0, "Host=api.example.org")
                .defined("calc", 0, "Path=/calc/{op}")
                .build();
        RouteIndex index = table.indexedMapping().index().block();

        assertThat(index.candidates(PathContainer.parsePath("/calc/add")))
                .extracting(Route::getId).containsExactly("host-only", "calc");
        assertThat(index.candidates(PathContainer.parsePath("/unknown/x")))
                .extracting(Route::getId).containsExactly("host-only");
        assertThat(index.alwaysCheckedCount()).isEqualTo(1);
    }

    @Test
    void takesTheLiteralFirstSegmentOfAPatternOnly() {
        assertThat(RouteIndex.literalFirstSegment("/planner/**")).isEqualTo("planner");
        assertThat(RouteIndex.literalFirstSegment("/a/{id}")).isEqualTo("a");
        assertThat(RouteIndex.literalFirstSegment("/Api")).isEqualTo("api");
        assertThat(RouteIndex.literalFirstSegment("/{x}/b")).isNull();
        assertThat(RouteIndex.literalFirstSegment("/**")).isNull();
        assertThat(RouteIndex.literalFirstSegment("/a*/**")).isNull();
        assertThat(RouteIndex.literalFirstSegment("/")).isNull();
        assertThat(RouteIndex.literalFirstSegment("planner/**")).isNull();
    }

    @Test
    void indexesUnderTheBasePathThatGatewayPrependsToEveryPattern() {
        Table table = new TableBuilder().defined("planner", 0, "Path=/planner/**").build();
        RouteIndex index = RouteIndex.of(table.routes(), java.util.Map.of("planner", table.definitions().get(0)),
                "/edge");

        assertThat(index.candidates(PathContainer.parsePath("/edge/planner/x"))).extracting(Route::getId)
                .containsExactly("planner");
        assertThat(index.candidates(PathContainer.parsePath("/planner/x"))).isEmpty();
    }

    @Test
    void printsLookupTimeForOneAndTenThousandRoutes() {
        for (int routeCount : new int[] {1, 10_000}) {
            TableBuilder builder = new TableBuilder();
            for (int i = 0; i < routeCount; i++) {
                builder.defined("r" + i, 0, "Path=/r" + i + "/**");
            }
            Table table = builder.build();
            IndexedRoutePredicateHandlerMapping mapping = table.indexedMapping();
            String lastRoute = "r" + (routeCount - 1);
            String path = "/" + lastRoute + "/items";
            // the last route: the worst case for a scan in route order
            int linearLookups = routeCount == 1 ? 20_000 : 100;
            double linearNanos = nanosPerLookup(linearLookups,
                    () -> table.linearScanChoice(exchange(HttpMethod.GET, "h", path)), lastRoute);
            double indexedNanos = nanosPerLookup(20_000,
                    () -> indexedChoice(mapping, exchange(HttpMethod.GET, "h", path)), lastRoute);
            System.out.printf("route lookup, %,d routes: linear scan %,.0f ns, indexed %,.0f ns%n",
                    routeCount, linearNanos, indexedNanos);
        }
    }

    private static double nanosPerLookup(int lookups, java.util.function.Supplier<String> lookup, String expected) {
        for (int i = 0; i < lookups; i++) {
            assertThat(lookup.get()).isEqualTo(expected); // warm-up, and every choice checked
        }
        long start = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            assertThat(lookup.get()).isEqualTo(expected);
        }
        return (System.nanoTime() - start) / (double) lookups;
    }
}
