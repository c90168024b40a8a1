package dev.meshgate.gateway.engine;

import org.junit.jupiter.api.Test;
import dev.meshgate.gateway.LoopbackUpstream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lb:// routes that take Gateway's filter chain (a route filter the fast path does not know) reach
 * their endpoint through the engine: the service's policy decides the timeout, the engine's error
 * shape answers, and route filters still see and change the response.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=0.0",
        "mesh.policy.services.hung.request-timeout=300ms",
        "mesh.gateway.request-head-timeout=300ms",
        "spring.cloud.gateway.server.webflux.routes[0].id=echo",
        "spring.cloud.gateway.server.webflux.routes[0].uri=lb://echo",
        "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/echo/**",
        "spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[0].filters[1]=AddRequestHeader=x-decorated,yes",
        "spring.cloud.gateway.server.webflux.routes[0].filters[2]=AddResponseHeader=x-edge,seen",
        "spring.cloud.gateway.server.webflux.routes[1].id=hung",
        "spring.cloud.gateway.server.webflux.routes[1].uri=lb://hung",
        "spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/hung/**",
        "spring.cloud.gateway.server.webflux.routes[1].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[1].filters[1]=AddRequestHeader=x-decorated,yes"})
class EngineRoutingTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final LoopbackUpstream echo = LoopbackUpstream.serving("echo", (request, response) ->
            request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                    .flatMap(body -> response.header("content-type", "text/plain")
                            .sendString(Mono.just(request.method().name() + " " + request.uri() + " decorated="
                                    + request.requestHeaders().get("x-decorated") + " body=" + body)).then()));
    @RegisterExtension
    static final LoopbackUpstream hung = LoopbackUpstream.serving("hung", (request, response) -> Mono.never());

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        echo.register(registry);
        hung.register(registry);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @Test
    void carriesTheRequestAndItsBodyAndRouteFiltersSeeTheResponse() throws Exception {
        String body = "x".repeat(200_000);
        HttpResponse<String> response = send(request("/echo/orders?id=7").POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("POST /orders?id=7 decorated=yes body=" + body);
        assertThat(response.headers().firstValue("x-edge")).hasValue("seen");
    }

    @Test
    void aLargeResponseStreamsThroughWithItsFullLength() throws Exception {
        String body = "y".repeat(3_000_000);
        HttpResponse<String> response = send(request("/echo/big").PUT(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize("PUT /big decorated=yes body=".length() + body.length());
    }

    @Test
    void aSlowRequestHeadIsAnswered408AndClosed() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /echo/x HTTP/1.1\r\nHost: edge\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n")
                    .contains("\"error\":\"request_head_timeout\"", "\"timeout_ms\":300");
        }
    }

    @Test
    void theServicesTimeoutAnswers504InTheEnginesShape() throws Exception {
        HttpResponse<String> response = send(request("/hung/wait").GET());

        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asString()).isEqualTo("upstream_timeout");
        assertThat(error.get("status").asInt()).isEqualTo(504);
        assertThat(error.get("service").asString()).isEqualTo("hung");
        assertThat(error.get("upstream").asString()).isEqualTo("127.0.0.1:" + hung.port());
        assertThat(error.get("timeout_ms").asInt()).isEqualTo(300);
        assertThat(error.get("path").asString()).isEqualTo("/hung/wait");
        assertThat(error.get("requestId").asString()).isNotEmpty();
    }
}
