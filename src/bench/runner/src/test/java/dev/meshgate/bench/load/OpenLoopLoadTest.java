package dev.meshgate.bench.load;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's bookkeeping against a real server; no assertion on how fast anything is. */
class OpenLoopLoadTest {

    private HttpServer server;
    private final ConcurrentLinkedQueue<String> hosts = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            byte[] body = exchange.getRequestURI().getPath().equals("/fail") ? new byte[0] : new byte[1024];
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/fail") ? 503 : 200,
                    body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    @Test
    void sendsExactlyTheScheduledRequestsAndRecordsOnlyTheMeasuredWindow() {
        try (OpenLoopLoad load = new OpenLoopLoad()) {
            boolean[] windowOpened = new boolean[1];
            OpenLoopResult result = load.run(server.getAddress().getPort(), "bench-upstream", "/bytes?size=1024", 200, 4,
                    Duration.ofMillis(250), Duration.ofMillis(500), () -> windowOpened[0] = true);

            // 200 req/s: 50 due in the lead-in, 100 in the window; only the window's are counted
            assertThat(windowOpened[0]).isTrue();
            assertThat(result.scheduled()).isEqualTo(100);
            assertThat(result.completed()).isEqualTo(100);
            assertThat(result.failed()).isZero();
            assertThat(result.responseTime().count()).isEqualTo(100);
            assertThat(hosts).hasSize(150).containsOnly("bench-upstream");
            // measured from the intended send time, so never below the time from the actual send
            assertThat(result.responseTime().p99Micros()).isGreaterThanOrEqualTo(result.serviceTime().p99Micros());
        }
    }

    @Test
    void countsNon200AnswersAsFailures() {
        try (OpenLoopLoad load = new OpenLoopLoad()) {
            OpenLoopResult result = load.run(server.getAddress().getPort(), "x", "/fail", 100, 2,
                    Duration.ZERO, Duration.ofMillis(300), () -> { });

            assertThat(result.scheduled()).isEqualTo(30);
            assertThat(result.failed()).isEqualTo(30);
            assertThat(result.completed()).isZero();
        }
    }
}
