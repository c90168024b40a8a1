package dev.meshgate.gateway;

import dev.meshgate.gateway.route.IndexedRoutePredicateHandlerMapping;
import dev.meshgate.gateway.route.RouteIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Flux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway with 10,000 generated routes ({@code /r<i>/**}) in front of a real upstream: every
 * route is indexed and requests reach the upstream through the route their prefix names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "spring.config.import=",
        "eureka.client.enabled=false",
        "server.address=127.0.0.1"})
class ManyRoutesTest {

    private static final int ROUTE_COUNT = 10_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final RecordingUpstream upstream = RecordingUpstream.of("upstream", "upstream");

    @LocalServerPort
    int port;

    @Autowired
    RoutePredicateHandlerMapping handlerMapping;

    /** The generated table as definitions, as a config repository would supply them, built into routes by Gateway. */
    @TestConfiguration
    static class GeneratedRoutes {

        @Bean
        RouteDefinitionLocator generatedRouteDefinitions() {
            // deferred: the upstream's port is known once it has started, before the routes are built
            return () -> Flux.defer(() -> Flux.range(0, ROUTE_COUNT).map(GeneratedRoutes::definition));
        }

        private static RouteDefinition definition(int route) {
            RouteDefinition definition = new RouteDefinition();
            definition.setId("r" + route);
            definition.setUri(URI.create("http://127.0.0.1:" + upstream.port()));
            definition.setPredicates(List.of(new PredicateDefinition("Path=/r" + route + "/**")));
            definition.setFilters(List.of(new FilterDefinition("StripPrefix=1")));
            return definition;
        }
    }

    @Test
    void indexesEveryGeneratedRoute() {
        assertThat(handlerMapping).isInstanceOf(IndexedRoutePredicateHandlerMapping.class);
        RouteIndex index = ((IndexedRoutePredicateHandlerMapping) handlerMapping).index().block();

        assertThat(index.size()).isEqualTo(ROUTE_COUNT);
        assertThat(index.alwaysCheckedCount()).isZero();
    }

    @Test
    void routesTheFirstMiddleAndLastRouteToTheUpstream() throws Exception {
        for (int route : new int[] {0, ROUTE_COUNT / 2, ROUTE_COUNT - 1}) {
            HttpResponse<String> response = get("/r" + route + "/items/" + route);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("upstream saw /items/" + route);
        }
    }

    @Test
    void answersNotFoundForAPrefixNoRouteNames() throws Exception {
        assertThat(get("/r" + ROUTE_COUNT + "/items").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
