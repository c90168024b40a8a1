package dev.meshgate.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that answers the first request of each connection, kept alive, and closes the
 * connection without answering when it reads a second one: the race of a kept-alive connection
 * that the upstream closes as it is reused. Only a request that may be sent twice is resent on a new
 * connection; any other is answered 502 {@code upstream_reset}, since the upstream may have acted on it.
 * Each test sends its requests on one client connection, so the second reuses the upstream
 * connection of the first.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=0.0",
        "spring.cloud.gateway.server.webflux.routes[0].id=scripted",
        "spring.cloud.gateway.server.webflux.routes[0].uri=lb://scripted",
        "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/scripted/**",
        "spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1"})
class UpstreamResendTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ScriptedUpstream upstream;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startUpstream() throws IOException {
        upstream = new ScriptedUpstream();
    }

    @AfterAll
    static void stopUpstream() throws IOException {
        if (upstream != null) {
            upstream.close();
        }
    }

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        LoopbackInstances.register(registry, "scripted", () -> upstream.port());
    }

    @Test
    void aPostTheUpstreamDroppedIsNotSentAgain() throws Exception {
        RawHttpConnection.Response response = secondOnOneConnection("POST", "/order", "Content-Length: 0\r\n");

        assertThat(response.status()).isEqualTo(502);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asString()).isEqualTo("upstream_reset");
        assertThat(body.get("service").asString()).isEqualTo("scripted");
        assertThat(body.get("upstream").asString()).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(body.get("message").asString()).isEqualTo("upstream 127.0.0.1:" + upstream.port()
                + " of service 'scripted' closed the connection before answering; a POST is not sent again, it may have been processed");
        assertThat(upstream.seen("POST /order")).isEqualTo(1);
    }

    @Test
    void aDeleteIsNotSentAgainEither() throws Exception {
        RawHttpConnection.Response response = secondOnOneConnection("DELETE", "/orders/7", "");

        assertThat(response.status()).isEqualTo(502);
        assertThat(upstream.seen("DELETE /orders/7")).isEqualTo(1);
    }

    @Test
    void aGetTheUpstreamDroppedIsSentAgainOnANewConnection() throws Exception {
        RawHttpConnection.Response response = secondOnOneConnection("GET", "/plans/1", "");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("answered GET /plans/1");
        assertThat(upstream.seen("GET /plans/1")).isEqualTo(2);
    }

    @Test
    void aPostWithAnIdempotencyKeyIsSentAgain() throws Exception {
        RawHttpConnection.Response response = secondOnOneConnection("POST", "/payments",
                "Content-Length: 0\r\nIdempotency-Key: 5f1c7a2e\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("answered POST /payments");
        assertThat(upstream.seen("POST /payments")).isEqualTo(2);
    }

    /** A GET, then the request given, on one client connection; the response to the second. */
    private RawHttpConnection.Response secondOnOneConnection(String method, String path, String headers)
            throws IOException {
        try (RawHttpConnection client = new RawHttpConnection(port)) {
            RawHttpConnection.Response warm = client.send("GET /scripted/warm HTTP/1.1\r\nHost: gateway\r\n\r\n").read();
            assertThat(warm.status()).isEqualTo(200);
            return client.send(method + " /scripted" + path + " HTTP/1.1\r\nHost: gateway\r\n" + headers + "\r\n").read();
        }
    }

    /**
     * A raw-socket HTTP/1.1 upstream: answers the first request of a connection (keep-alive) and, on
     * reading a second, records it and closes the connection without a byte of answer.
     */
    static final class ScriptedUpstream implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final Queue<Socket> accepted = new ConcurrentLinkedQueue<>();
        private final List<String> requests = new CopyOnWriteArrayList<>();

        ScriptedUpstream() throws IOException {
            threads.execute(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        /** How many times the upstream read this request line ("POST /order"). */
        long seen(String request) {
            return requests.stream().filter(request::equals).count();
        }

        private void accept() {
            try {
                while (true) {
                    Socket socket = server.accept();
                    accepted.add(socket);
                    threads.execute(() -> serve(socket));
                }
            } catch (IOException closed) {
                // the server socket was closed: the test is over
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                for (int served = 0; ; served++) {
                    String request = readRequest(in);
                    if (request == null) {
                        return;
                    }
                    requests.add(request);
                    if (served > 0) {
                        // read, perhaps acted on, never answered
                        return;
                    }
                    byte[] body = ("answered " + request).getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                            + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                }
            } catch (IOException e) {
                // the gateway closed the connection
            }
        }

        /** "METHOD /path" of the next request, its body skipped; null at the end of the connection. */
        private static String readRequest(InputStream in) throws IOException {
            String requestLine = line(in);
            if (requestLine == null) {
                return null;
            }
            long length = 0;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring("content-length:".length()).trim());
                }
            }
            in.skipNBytes(length);
            String[] parts = requestLine.split(" ");
            return parts[0] + " " + parts[1];
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return null;
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
            Socket socket;
            while ((socket = accepted.poll()) != null) {
                socket.close();
            }
            threads.shutdownNow();
            try {
                threads.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
