package dev.meshgate.gateway.fastpath;

import dev.meshgate.gateway.LoopbackInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fast path's idle upstream connections are closed after Gateway's pool max-idle-time, so
 * connections to instances that went quiet do not stay open for ever; the next request opens a new one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml,file:../src/config-repo/gateway.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=0.0",
        "spring.cloud.gateway.server.webflux.httpclient.pool.max-idle-time=300ms"})
class FastPathIdleConnectionTest {

    private static final AtomicInteger opened = new AtomicInteger();
    private static final AtomicInteger closed = new AtomicInteger();
    private static DisposableServer planner;

    @LocalServerPort
    int port;

    @Autowired
    FastPath fastPath;

    @BeforeAll
    static void startUpstream() {
        planner = HttpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(connection -> {
                    opened.incrementAndGet();
                    connection.onDispose(closed::incrementAndGet);
                })
                .handle((request, response) -> response.sendString(Mono.just("ok")))
                .bindNow();
    }

    @AfterAll
    static void stopUpstream() {
        if (planner != null) {
            planner.disposeNow();
        }
    }

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        LoopbackInstances.register(registry, "planner", () -> planner.port());
    }

    @Test
    void anIdleUpstreamConnectionIsClosedAfterTheMaxIdleTime() throws Exception {
        long before = fastPath.forwarded();

        assertThat(get("/planner/first").statusCode()).isEqualTo(200);

        assertThat(fastPath.forwarded()).isEqualTo(before + 1);
        assertThat(opened.get()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> closed.get() == 1);

        assertThat(get("/planner/second").statusCode()).isEqualTo(200);
        assertThat(opened.get()).isEqualTo(2);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
