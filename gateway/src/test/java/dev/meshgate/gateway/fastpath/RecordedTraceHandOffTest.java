package dev.meshgate.gateway.fastpath;

import dev.meshgate.core.trace.TraceContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trace the fast path decides to record (probability 1) is handed to Gateway with that decision:
 * Gateway's sampler, whose own ratio here would record nothing, records it, so the edge's sampled
 * share is drawn once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml,file:../src/config-repo/gateway.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=1.0"})
class RecordedTraceHandOffTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final BlockingQueue<HttpHeaders> received = new LinkedBlockingQueue<>();
    private static DisposableServer planner;

    @LocalServerPort
    int port;

    @Autowired
    FastPath fastPath;

    @TestConfiguration
    static class RatioRecordingNothing {

        @Bean
        @Primary
        Sampler ratioRecordingNothing() {
            return RootSampling.parentBased(0.0);
        }
    }

    @BeforeAll
    static void startUpstream() {
        planner = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    received.add(request.requestHeaders().copy());
                    return response.sendString(Mono.just("ok"));
                })
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
        registry.add("spring.cloud.discovery.client.simple.instances.planner[0].uri",
                () -> "http://127.0.0.1:" + planner.port());
    }

    @Test
    void aTraceStartedAndRecordedHereIsRecordedByGateway() throws Exception {
        long before = fastPath.forwarded();

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/planner/recorded")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        HttpHeaders upstream = received.poll(5, TimeUnit.SECONDS);
        assertThat(upstream).isNotNull();
        assertThat(TraceContext.parse(upstream.get(TraceContext.TRACEPARENT)).sampled()).isTrue();
        assertThat(fastPath.forwarded()).isEqualTo(before);
    }
}
