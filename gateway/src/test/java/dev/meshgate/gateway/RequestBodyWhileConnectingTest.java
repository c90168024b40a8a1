package dev.meshgate.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * While the connection to the upstream is still being opened, the gateway does not read the
 * client's request body (it would have nowhere to put it but memory): the client's writes stall at
 * what the sockets' buffers hold. Once the upstream accepts, the whole body flows through.
 *
 * <p>The upstream listens with an accept backlog of one and is not accepting: once the backlog is
 * full, Linux drops further SYNs, so the gateway's connect stays pending (retransmitting its SYN)
 * until the test accepts the queued connections.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=0.0",
        // the pending connect outlives the test's wait
        "spring.cloud.gateway.server.webflux.httpclient.connect-timeout=30000",
        "spring.cloud.gateway.server.webflux.routes[0].id=slow",
        "spring.cloud.gateway.server.webflux.routes[0].uri=lb://slow",
        "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/slow/**",
        "spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1"})
class RequestBodyWhileConnectingTest {

    /** Far more than the client's send buffer, the gateway's receive buffer and one read together. */
    private static final int BODY_SIZE = 8 * 1024 * 1024;
    private static final int CLIENT_SEND_BUFFER = 16 * 1024;
    private static ServerSocket upstream;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> fillers = new ArrayList<>();

    @LocalServerPort
    int port;

    @BeforeAll
    static void listen() throws IOException {
        upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void stopListening() throws IOException {
        if (upstream != null) {
            upstream.close();
        }
    }

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        LoopbackInstances.register(registry, "slow", () -> upstream.getLocalPort());
    }

    @BeforeEach
    void fillTheUpstreamsAcceptBacklog() throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(upstream.getLocalSocketAddress(), 300);
                fillers.add(filler);
            } catch (SocketTimeoutException full) {
                // this SYN was dropped: the backlog is full
                filler.close();
                return;
            }
        }
        throw new IllegalStateException("the upstream's accept backlog never filled");
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        for (Socket filler : fillers) {
            filler.close();
        }
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void theBodyIsNotReadUntilTheUpstreamConnectionIsOpen() throws Exception {
        try (Socket client = new Socket()) {
            client.setSendBufferSize(CLIENT_SEND_BUFFER);
            client.setSoTimeout(20_000);
            client.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeUpload(client, written), threads);

            // the upstream cannot be connected: the client's writes stall on full buffers
            assertThatThrownBy(() -> writing.get(1500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(written.get()).as("bytes the client could write").isLessThan(BODY_SIZE / 4);

            // the upstream accepts: the gateway's connect completes on its next SYN, and the body flows
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(this::acceptOneUpload, threads);
            for (Socket filler : fillers) {
                filler.close();
            }
            writing.get(20, TimeUnit.SECONDS);
            String response = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("received " + BODY_SIZE);
            assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(BODY_SIZE);
        }
    }

    private static void writeUpload(Socket client, AtomicLong written) {
        try {
            OutputStream out = client.getOutputStream();
            out.write(("POST /slow/upload HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: " + BODY_SIZE + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[8192];
            for (int sent = 0; sent < BODY_SIZE; sent += chunk.length) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the upload failed after " + written.get() + " bytes", e);
        }
    }

    /**
     * Accepts connections until one carries a request (the fillers carry none), reads its body and
     * answers how many bytes it received.
     */
    private long acceptOneUpload() {
        try {
            while (true) {
                try (Socket connection = upstream.accept()) {
                    InputStream in = new BufferedInputStream(connection.getInputStream());
                    long length = contentLength(in);
                    if (length < 0) {
                        continue;
                    }
                    in.skipNBytes(length);
                    long received = length;
                    byte[] body = ("received " + received).getBytes(StandardCharsets.ISO_8859_1);
                    OutputStream out = connection.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                    return received;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Content-Length of the request on the connection, or -1 when it closes before one. */
    private static long contentLength(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            return -1;
        }
        long length = 0;
        for (line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring("content-length:".length()).trim());
            }
        }
        return length;
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
}
