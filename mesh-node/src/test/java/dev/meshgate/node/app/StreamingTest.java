package dev.meshgate.node.app;

import dev.meshgate.node.app.ProxyTopology.TwoHops;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies stream through both hops (outbound, then the peer's inbound) without being buffered whole. */
class StreamingTest {

    private static final int LARGE_BODY = 64 * 1024 * 1024;
    private static final int BLOCK = 64 * 1024;

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    @Test
    void responseChunksReachTheClientBeforeTheUpstreamHasFinished() {
        Sinks.One<String> rest = Sinks.one();
        TwoHops hops = topology.startTwoHops(topology.startApp((request, response) ->
                response.sendString(Flux.concat(Mono.just("first-chunk"), rest.asMono()))));
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            RawHttpClient.Response head = client.send("GET /stream HTTP/1.1\r\nHost: search\r\n\r\n").readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.chunked()).isTrue();

            assertThat(new String(client.readChunk(), StandardCharsets.UTF_8)).isEqualTo("first-chunk");

            rest.tryEmitValue("and-the-rest");
            StringBuilder remainder = new StringBuilder();
            byte[] chunk;
            while ((chunk = client.readChunk()) != null) {
                remainder.append(new String(chunk, StandardCharsets.UTF_8));
            }
            assertThat(remainder.toString()).isEqualTo("and-the-rest");
        }
    }

    @Test
    void requestChunksReachTheUpstreamBeforeTheClientHasFinished() throws Exception {
        CompletableFuture<String> firstReceived = new CompletableFuture<>();
        TwoHops hops = topology.startTwoHops(topology.startApp((request, response) ->
                response.sendString(request.receive().asString()
                        .doOnNext(firstReceived::complete)
                        .reduce(0, (length, part) -> length + part.length())
                        .map(length -> "received " + length))));
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            client.send("POST /upload HTTP/1.1\r\nHost: search\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");

            assertThat(firstReceived.get(10, TimeUnit.SECONDS)).isEqualTo("hello");

            client.send("6\r\n world\r\n0\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("received 11");
        }
    }

    @Test
    void largeUploadArrivesIntact() throws Exception {
        TwoHops hops = topology.startTwoHops(topology.startApp((request, response) -> {
            CRC32 crc = new CRC32();
            return response.sendString(request.receive()
                    .map(buffer -> {
                        crc.update(buffer.nioBuffer());
                        return (long) buffer.readableBytes();
                    })
                    .reduce(0L, Long::sum)
                    .map(length -> length + " " + crc.getValue()));
        }));

        HttpResponse<String> response = proxyClient(hops).send(
                HttpRequest.newBuilder(URI.create("http://search/upload"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedBody(LARGE_BODY)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(LARGE_BODY + " " + GeneratedBody.crc(LARGE_BODY));
    }

    @Test
    void largeDownloadArrivesIntact() throws Exception {
        TwoHops hops = topology.startTwoHops(topology.startApp((request, response) -> response
                .header("content-length", String.valueOf(LARGE_BODY))
                .send(Flux.range(0, LARGE_BODY / BLOCK).map(StreamingTest::block))));

        HttpResponse<InputStream> response = proxyClient(hops).send(
                HttpRequest.newBuilder(URI.create("http://search/download")).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        CRC32 crc = new CRC32();
        long length = 0;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[BLOCK];
            int read;
            while ((read = body.read(buffer)) >= 0) {
                crc.update(buffer, 0, read);
                length += read;
            }
        }
        assertThat(length).isEqualTo(LARGE_BODY);
        assertThat(crc.getValue()).isEqualTo(GeneratedBody.crc(LARGE_BODY));
    }

    private static HttpClient proxyClient(TwoHops hops) {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", hops.node().outboundPort())))
                .build();
    }

    private static ByteBuf block(int index) {
        byte[] bytes = new byte[BLOCK];
        GeneratedBody.fill(bytes, (long) index * BLOCK);
        return Unpooled.wrappedBuffer(bytes);
    }

    /** Deterministic bytes generated on the fly: byte i is a function of i. */
    static final class GeneratedBody extends InputStream {
        private final long length;
        private long position;

        GeneratedBody(long length) {
            this.length = length;
        }

        static byte at(long i) {
            return (byte) ((i * 31 + (i >>> 11)) & 0xff);
        }

        static void fill(byte[] bytes, long offset) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = at(offset + i);
            }
        }

        static long crc(long length) {
            CRC32 crc = new CRC32();
            byte[] buffer = new byte[BLOCK];
            for (long offset = 0; offset < length; offset += BLOCK) {
                int size = (int) Math.min(BLOCK, length - offset);
                fill(buffer, offset);
                crc.update(buffer, 0, size);
            }
            return crc.getValue();
        }

        @Override
        public int read() {
            return position < length ? at(position++) & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int count) {
            if (position >= length) {
                return -1;
            }
            int size = (int) Math.min(count, length - position);
            for (int i = 0; i < size; i++) {
                target[offset + i] = at(position++);
            }
            return size;
        }
    }
}
