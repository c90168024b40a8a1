package dev.meshgate.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registrations made while nodes keep reading {@code GET /apps} reach the readers within seconds.
 * Eureka's response cache can keep a payload whose generation began before a registration
 * invalidated it; with the default expiry such a stale list of applications was served for three
 * minutes, and a freshly started service was unreachable through the mesh for that long. Without
 * the shorter expiry this test fails most runs: one of the last registrations is missing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.cloud.config.enabled=false")
class RegistrationVisibleUnderReadLoadTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int SERVICES = 12;
    /** The response cache's expiry (application.yml) plus generous slack for a loaded machine. */
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    @AfterEach
    void deregister() throws Exception {
        for (int i = 0; i < SERVICES; i++) {
            send(HttpRequest.newBuilder(uri("/eureka/apps/" + service(i) + "/" + service(i) + "-1")).DELETE());
        }
    }

    @Test
    void everyRegistrationMadeDuringConcurrentFullFetchesBecomesVisible() throws Exception {
        AtomicBoolean reading = new AtomicBoolean(true);
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                running.add(readers.submit(() -> {
                    while (reading.get()) {
                        getApps();
                    }
                    return null;
                }));
            }
            for (int i = 0; i < SERVICES; i++) {
                HttpResponse<String> registered = send(HttpRequest.newBuilder(uri("/eureka/apps/" + service(i)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                registration(i))));
                assertThat(registered.statusCode()).isEqualTo(204);
            }
            reading.set(false);
            for (Future<?> reader : running) {
                reader.get(10, TimeUnit.SECONDS);
            }
        } finally {
            reading.set(false);
            readers.shutdownNow();
        }

        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        List<String> missing = missingFrom(getApps());
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            // each poll is a full request: the deadline, not a sleep, bounds the loop
            missing = missingFrom(getApps());
        }
        assertThat(missing).as("services registered but not listed by GET /apps after %s", VISIBLE_WITHIN).isEmpty();
    }

    /** A node's registration with a lease that outlives the test: nothing here renews it. */
    private static String registration(int i) {
        return RegistryRestApiTest.nodeRegistration(service(i), service(i) + "-1", 20_000 + i)
                .replace("\"durationInSecs\": 15", "\"durationInSecs\": 300");
    }

    private static List<String> missingFrom(String apps) {
        return IntStream.range(0, SERVICES).mapToObj(RegistrationVisibleUnderReadLoadTest::service)
                .filter(service -> !apps.contains("\"" + service + "-1\"")).toList();
    }

    private static String service(int i) {
        return "VISIBLE" + i;
    }

    private String getApps() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/eureka/apps")).header("Accept", "application/json").GET()).body();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
