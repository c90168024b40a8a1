package dev.meshgate.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that takes requests and never answers: after the configured response timeout (300 ms)
 * the client gets a 504 {@code upstream_timeout} naming the timeout and the upstream, in the same JSON
 * shape whether the route is of the simple shape the fast path serves ({@code /hung}) or takes
 * Gateway's filter chain ({@code /hung-chain}, with one more filter).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=0.0",
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=300ms",
        "spring.cloud.gateway.server.webflux.routes[0].id=hung",
        "spring.cloud.gateway.server.webflux.routes[0].uri=lb://hung",
        "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/hung/**",
        "spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[1].id=hung-chain",
        "spring.cloud.gateway.server.webflux.routes[1].uri=lb://hung",
        "spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/hung-chain/**",
        "spring.cloud.gateway.server.webflux.routes[1].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[1].filters[1]=AddRequestHeader=x-chain,yes"})
class ResponseTimeoutTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    static final LoopbackUpstream hung = LoopbackUpstream.serving("hung", (request, response) -> Mono.never());

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        hung.register(registry);
    }

    @Test
    void aRouteOfTheFastPathsShapeAnswers504NamingTheTimeoutAndTheUpstream() throws Exception {
        assertTimedOut(get("/hung/wait"), "/hung/wait");
    }

    @Test
    void aRouteThroughTheFilterChainAnswersTheSame() throws Exception {
        assertTimedOut(get("/hung-chain/wait"), "/hung-chain/wait");
    }

    @Test
    void bothPathsAnswerInOneShape() throws Exception {
        assertThat(fieldNames(JSON.readTree(get("/hung/shape").body())))
                .isEqualTo(fieldNames(JSON.readTree(get("/hung-chain/shape").body())));
    }

    private void assertTimedOut(HttpResponse<String> response, String path) {
        String upstream = "127.0.0.1:" + hung.port();
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(fieldNames(body)).containsExactly("error", "status", "message", "service", "upstream", "timeout", "timeout_ms", "path",
                "requestId");
        assertThat(body.get("timeout").asString()).as("which timeout fired").isEqualTo("request");
        assertThat(body.get("status").asInt()).isEqualTo(504);
        assertThat(body.get("error").asString()).isEqualTo("upstream_timeout");
        assertThat(body.get("message").asString()).isEqualTo(
                "upstream " + upstream + " of service 'hung' did not answer within the request timeout of 300 ms");
        assertThat(body.get("service").asString()).isEqualTo("hung");
        assertThat(body.get("upstream").asString()).isEqualTo(upstream);
        assertThat(body.get("path").asString()).isEqualTo(path);
        assertThat(body.get("requestId").asString()).isNotEmpty();
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.propertyNames().forEach(names::add);
        return names;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
