package dev.meshgate.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway is no forward proxy: a CONNECT request is answered 501 with a JSON body that says so,
 * whichever routes there are (here a route of the fast path's shape and a catch-all one), and the
 * connection goes on serving requests. {@link ConnectMethodFilterChainTest} runs the same with the
 * fast path off.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=0.0",
        "spring.cloud.gateway.server.webflux.routes[0].id=planner",
        "spring.cloud.gateway.server.webflux.routes[0].uri=lb://planner",
        "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/planner/**",
        "spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[1].id=everything",
        "spring.cloud.gateway.server.webflux.routes[1].uri=lb://planner",
        "spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/**"})
class ConnectMethodTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    static final RecordingUpstream planner = RecordingUpstream.of("planner", "planner-1");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        planner.register(registry);
    }

    @Test
    void aConnectRequestIs501SayingTunnelsAreNotSupported() throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(port)) {
            RawHttpConnection.Response response = client
                    .send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(501);
            assertThat(response.headers().get("content-type")).startsWith("application/json");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("status").asInt()).isEqualTo(501);
            assertThat(body.get("error").asString()).isEqualTo("method_not_supported");
            assertThat(body.get("message").asString()).isEqualTo("CONNECT tunnels are not supported by the gateway");
            assertThat(body.get("method").asString()).isEqualTo("CONNECT");
            assertThat(body.get("requestId").asString()).isNotEmpty();

            // the same connection still serves routed requests
            RawHttpConnection.Response next = client
                    .send("GET /planner/after HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("planner-1 saw /after");
        }
        assertThat(planner.next().uri()).isEqualTo("/after");
    }

    @Test
    void aConnectRequestWithAnOriginFormTargetIs501Too() throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(port)) {
            RawHttpConnection.Response response = client
                    .send("CONNECT /planner/x HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(501);
            assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo("method_not_supported");
        }
        // neither was forwarded
        assertThat(get("/planner/probe")).isEqualTo(200);
        assertThat(planner.next().uri()).isEqualTo("/probe");
    }

    private int get(String path) throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(port)) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").read().status();
        }
    }
}
