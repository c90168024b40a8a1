package dev.meshgate.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With every trace recorded, requests' spans are exported and the registry client's own fetches are
 * not, although they were made and timed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml,file:../src/config-repo/gateway.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=1.0"})
class BackgroundCallSpansTest {

    @RegisterExtension
    static final RecordingUpstream planner = RecordingUpstream.of("planner", "planner-1");

    @LocalServerPort
    int port;

    @Autowired
    SdkTracerProvider tracerProvider;

    @Autowired
    MeterRegistry meters;

    @Autowired
    CapturingSpanExporter exporter;

    @TestConfiguration
    static class CapturedSpans {

        @Bean
        CapturingSpanExporter capturingExporter() {
            return new CapturingSpanExporter();
        }
    }

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        planner.register(registry);
    }

    @Test
    void registryFetchesAreTimedButNotExportedAsTraces() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/planner/traced")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            tracerProvider.forceFlush().join(2, TimeUnit.SECONDS);
            return exporter.spans().stream().anyMatch(span -> span.getKind() == SpanKind.SERVER);
        });
        // the registry client's fetch at start-up (refused here) was made and timed
        assertThat(meters.find("http.client.requests").tag("uri", uri -> uri.startsWith("/eureka/")).timers()).isNotEmpty();
        List<SpanData> exported = exporter.spans();
        assertThat(exported).noneMatch(span -> span.getKind() == SpanKind.CLIENT && !span.getParentSpanContext().isValid());
        assertThat(exported).anyMatch(span -> span.getKind() == SpanKind.CLIENT && span.getParentSpanContext().isValid());
    }
}
