package dev.meshgate.e2e;

import dev.meshgate.launcher.RunningTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dead instance costs the caller nothing: under steady load through planner's node and through the
 * gateway, search-2's node is killed with SIGKILL, and no request fails. A try that meets the dead
 * node (refused, or reset in flight) goes again to search-1, and the dead endpoint leaves rotation at
 * the first refused connection, long before the registry evicts it.
 */
class InstanceFailureIT {

    /** 200 requests a second, alternating between the two entry points. */
    private static final long PERIOD_MICROS = 5_000;

    @RegisterExtension
    static final MeshTopologyExtension MESH = new MeshTopologyExtension();

    @Test
    void killingASearchNodeFailsNoRequestThroughTheCallersNodeOrTheGateway() throws Exception {
        RunningTopology mesh = MESH.topology();
        HttpRequest viaNode = HttpRequest.newBuilder(URI.create(mesh.node("planner-1").outboundUrl() + "/search?q=steady"))
                .header("Host", "search").timeout(Duration.ofSeconds(10)).GET().build();
        HttpRequest viaGateway = HttpRequest.newBuilder(URI.create(mesh.gatewayUrl() + "/search/search?q=steady"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        assertThat(Http.client().send(viaNode, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(Http.client().send(viaGateway, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<CompletableFuture<?>> inFlight = new ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        CountDownLatch killPoint = new CountDownLatch(200);
        CountDownLatch end = new CountDownLatch(1_000);
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try {
            load.scheduleAtFixedRate(() -> {
                HttpRequest request = sent.getAndIncrement() % 2 == 0 ? viaNode : viaGateway;
                killPoint.countDown();
                end.countDown();
                inFlight.add(Http.client().sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> {
                            if (failure != null) {
                                failures.add(request.uri() + ": " + failure);
                            } else if (response.statusCode() != 200) {
                                failures.add(request.uri() + ": " + response.statusCode() + " " + response.body());
                            } else if (response.headers().firstValue("x-mesh-attempts").isPresent()) {
                                retried.incrementAndGet();
                            }
                        }));
            }, 0, PERIOD_MICROS, TimeUnit.MICROSECONDS);
            assertThat(killPoint.await(30, TimeUnit.SECONDS)).as("a second of load before the kill").isTrue();

            assertThat(mesh.process(mesh.node("search-2").processName()).handle().destroyForcibly()).isTrue();

            assertThat(end.await(30, TimeUnit.SECONDS)).as("four more seconds of load").isTrue();
        } finally {
            load.shutdownNow();
        }
        for (CompletableFuture<?> request : List.copyOf(inFlight)) {
            request.handle((done, failure) -> null).get(15, TimeUnit.SECONDS);
        }

        assertThat(failures).as("failed requests").isEmpty();
        assertThat(sent.get()).isGreaterThanOrEqualTo(1_000);
        assertThat(retried.get()).as("requests that met the dead node and were tried again").isPositive();
    }
}
