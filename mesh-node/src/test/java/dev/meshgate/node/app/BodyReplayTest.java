package dev.meshgate.node.app;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.core.policy.RetryPolicy;
import dev.meshgate.core.policy.ServicePolicy;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retrying requests with bodies: a POST is not sent again unless its route opts in; one that opts
 * in is retried with its body intact (kept up to the replay limit); a body over the limit streams
 * on and is not retried.
 */
class BodyReplayTest {

    private static final Set<RetryOn> ON_GATEWAY_ERROR = Set.of(RetryOn.GATEWAY_ERROR);

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    /** Reads the whole body, then answers 503. */
    private RecordingUpstream busy() {
        return topology.startApp((request, response) -> request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                .flatMap(body -> response.status(503).sendString(Mono.just("busy")).then()));
    }

    /** Answers with the size and digest of the body it received. */
    private RecordingUpstream echo() {
        return topology.startApp((request, response) -> request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                .flatMap(body -> response.sendString(Mono.just(fingerprint(body))).then()));
    }

    private TestNode callerNode(RetryPolicy retries) {
        MeshPolicy policy = MeshPolicy.of(null, Map.of("search", ServicePolicy.of(null, retries, List.of())));
        return topology.startNode(TestNode.properties(FreePorts.closed(), 0, 0, TestNode.defaultProxy()), policy);
    }

    private static RetryPolicy optedIn(Integer replayLimit) {
        return new RetryPolicy(2, ON_GATEWAY_ERROR, null, null, null, true, replayLimit);
    }

    private static byte[] body(int size, int seed) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + (i * 31 + seed) % 26);
        }
        return body;
    }

    private static byte[] post(byte[] body) {
        byte[] head = ("POST /orders HTTP/1.1\r\nHost: search\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    private static String fingerprint(byte[] body) {
        try {
            return body.length + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double retries(TestNode node) {
        var counter = node.registry.find("mesh.proxy.retries").tag("reason", "gateway_error").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aPostIsNotRetriedByDefault() {
        RecordingUpstream busy = busy();
        RecordingUpstream live = echo();
        topology.directory().put("search", busy.port(), live.port());
        TestNode node = callerNode(RetryPolicy.of(2, ON_GATEWAY_ERROR));
        int refused = 0;
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < 4; i++) {
                if (client.send(post(body(10 * 1024, i))).read().status() == 503) {
                    refused++;
                }
            }
        }
        assertThat(refused).as("the POSTs that met the busy endpoint").isEqualTo(busy.requestCount()).isPositive();
        assertThat(retries(node)).isZero();
    }

    @Test
    void aRouteThatOptsInRetriesAPostWithItsBodyIntact() {
        RecordingUpstream busy = busy();
        RecordingUpstream live = echo();
        topology.directory().put("search", busy.port(), live.port());
        TestNode node = callerNode(optedIn(null));
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < 4; i++) {
                byte[] body = body(10 * 1024, i);
                RawHttpClient.Response response = client.send(post(body)).read();

                assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
                assertThat(response.bodyText()).as("the body as the live endpoint received it").isEqualTo(fingerprint(body));
            }
        }
        assertThat(busy.requestCount()).isPositive();
        assertThat(retries(node)).isEqualTo(busy.requestCount());
    }

    @Test
    void aBodyOverTheReplayLimitStreamsOnAndIsNotRetried() {
        RecordingUpstream first = busy();
        RecordingUpstream second = busy();
        topology.directory().put("search", first.port(), second.port());
        TestNode node = callerNode(optedIn(64 * 1024));
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            assertThat(client.send(post(body(1024 * 1024, 1))).read().status()).isEqualTo(503);
            assertThat(first.requestCount() + second.requestCount()).as("one try: the 1 MiB body was not kept").isEqualTo(1);

            assertThat(client.send(post(body(10 * 1024, 2))).read().status()).isEqualTo(503);
            assertThat(first.requestCount() + second.requestCount()).as("a 10 KiB body is kept: two tries").isEqualTo(3);
        }
        assertThat(retries(node)).isEqualTo(1);
    }
}
