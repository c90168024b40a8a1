package dev.meshgate.node.telemetry;

import dev.meshgate.node.app.ProxyTopology;
import dev.meshgate.node.app.ProxyTopology.TwoHops;
import dev.meshgate.node.app.RawHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProxyMetricsTest {

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    @Test
    void exchangesAreCountedByDirectionAndStatusClassWithLatencyAndPoolGauges() {
        TwoHops hops = topology.startTwoHops();
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(client.send("GET / HTTP/1.1\r\nHost: unknown\r\n\r\n").read().status()).isEqualTo(503);
        }
        MeterRegistry registry = hops.node().registry;

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(count(registry, "outbound", "2xx")).isEqualTo(1);
            assertThat(count(registry, "outbound", "5xx")).isEqualTo(1);
            assertThat(count(registry, "inbound", "2xx")).isEqualTo(1);
            assertThat(registry.get("mesh.request.duration").tag("direction", "outbound").timer().count()).isEqualTo(2);
            assertThat(registry.get("mesh.requests.in.flight").tag("direction", "outbound").gauge().value()).isZero();
        });
        assertThat(registry.get("mesh.proxy.errors").tags("direction", "outbound", "reason", "no_endpoints")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("mesh.upstream.connections.open").tag("pool", "app").gauge().value()).isEqualTo(1);
        // the peer is a node: one HTTP/2 link, open, never parked in the idle pool
        assertThat(registry.get("mesh.upstream.connections.open").tag("pool", "peers").gauge().value()).isEqualTo(1);
        assertThat(registry.get("mesh.upstream.connections.idle").tag("pool", "peers").gauge().value()).isZero();
    }

    @Test
    void prometheusNamesCarryTheMeshPrefix() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProxyMetrics metrics = new ProxyMetrics(registry);
        metrics.outbound().finished(200, metrics.outbound().started());
        metrics.poolGauges("app", () -> 3, () -> 1);

        assertThat(registry.scrape()).contains(
                "mesh_requests_total{direction=\"outbound\",status_class=\"2xx\"} 1.0",
                "mesh_request_duration_seconds_count{direction=\"outbound\"} 1",
                "mesh_requests_in_flight{direction=\"outbound\"} 0.0",
                "mesh_upstream_connections_open{pool=\"app\"} 3.0");
    }

    private static double count(MeterRegistry registry, String direction, String statusClass) {
        return registry.get("mesh.requests").tags("direction", direction, "status_class", statusClass).counter().count();
    }
}
