package dev.meshgate.samples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : started) {
            closeable.close();
        }
    }

    private RunningSamples start(String... workloads) {
        List<WorkloadSpec> specs = new ArrayList<>();
        for (String workload : workloads) {
            specs.add(WorkloadSpec.parse(workload));
        }
        RunningSamples running = RunningSamples.start(specs);
        started.add(running);
        return running;
    }

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpAndEveryResponseCarriesTheVersion() throws Exception {
        RunningSamples samples = start("name=search,instance=search-7,port=0,version=v3");
        HttpResponse<String> health = get(samples.baseUrl("search-7") + "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(health.headers().firstValue("x-version")).hasValue("v3");
        assertThat(health.headers().firstValue("x-instance")).hasValue("search-7");
        HttpResponse<String> missing = get(samples.baseUrl("search-7") + "/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("x-version")).hasValue("v3");
    }

    @Test
    void searchAnswersWithItsIdentityTheTraceparentAsReceivedAndRankedHits() throws Exception {
        RunningSamples samples = start("name=search,instance=search-1,port=0");
        HttpResponse<String> traced = get(samples.baseUrl("search-1") + "/search?q=trace%20header", "traceparent", TRACEPARENT);
        assertThat(traced.statusCode()).isEqualTo(200);
        assertThat(traced.body()).startsWith("{\"service\":\"search\",\"instance\":\"search-1\",\"version\":\"v1\",\"traceparent\":\""
                + TRACEPARENT + "\",\"result\":{\"query\":\"trace header\",\"hits\":[{\"title\":\"Distributed tracing\"");
        HttpResponse<String> untraced = get(samples.baseUrl("search-1") + "/search?q=zzz");
        assertThat(untraced.body()).isEqualTo("{\"service\":\"search\",\"instance\":\"search-1\",\"version\":\"v1\","
                + "\"traceparent\":null,\"result\":{\"query\":\"zzz\",\"hits\":[]}}");
        assertThat(get(samples.baseUrl("search-1") + "/search").statusCode()).isEqualTo(400);
    }

    @Test
    void calcEvaluatesArithmetic() throws Exception {
        RunningSamples samples = start("name=calc,port=0");
        HttpResponse<String> sum = get(samples.baseUrl("calc-1") + "/calc?expr=" + "(1%2B2)*4%2F3");
        assertThat(sum.statusCode()).isEqualTo(200);
        assertThat(sum.body()).endsWith("\"result\":{\"expression\":\"(1+2)*4/3\",\"value\":4}}");
        HttpResponse<String> bad = get(samples.baseUrl("calc-1") + "/calc?expr=1%2F0");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("cannot evaluate '1/0': division by zero at position 3");
    }

    @Test
    void anyOtherNameIsAGenericToolEchoingItsParameters() throws Exception {
        RunningSamples samples = start("name=weather,port=0");
        HttpResponse<String> answer = get(samples.baseUrl("weather-1") + "/weather?city=Oslo&days=3");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"service\":\"weather\",\"instance\":\"weather-1\",\"version\":\"v1\","
                + "\"traceparent\":null,\"result\":{\"params\":{\"city\":\"Oslo\",\"days\":\"3\"}}}");
    }

    @Test
    void injectedFailuresNameTheInstanceButHealthStaysUp() throws Exception {
        RunningSamples samples = start("name=search,instance=search-2,port=0,failure-rate=1");
        HttpResponse<String> failed = get(samples.baseUrl("search-2") + "/search?q=x");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("\"instance\":\"search-2\"").contains("injected failure");
        assertThat(get(samples.baseUrl("search-2") + "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aDelayedWorkloadStillAnswers() throws Exception {
        RunningSamples samples = start("name=calc,port=0,latency-ms=20");
        HttpResponse<String> answer = get(samples.baseUrl("calc-1") + "/calc?expr=2*21");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"value\":42");
    }

    @Test
    void echoReportsMethodPathAndHeaders() throws Exception {
        RunningSamples samples = start("name=search,port=0");
        HttpResponse<String> echo = get(samples.baseUrl("search-1") + "/echo?a=1", "x-probe", "yes");
        assertThat(echo.body()).contains("\"method\":\"GET\"", "\"uri\":\"/echo?a=1\"", "\"path\":\"/echo\"", "\"x-probe\":\"yes\"");
    }

    @Test
    void uploadHashesTheStreamedBody() throws Exception {
        RunningSamples samples = start("name=search,port=0");
        byte[] body = new byte[5 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(samples.baseUrl("search-1") + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"bytes\":" + body.length, "\"sha256\":\"" + sha256(body) + "\"");
        assertThat(get(samples.baseUrl("search-1") + "/upload").statusCode()).isEqualTo(405);
    }

    @Test
    void downloadStreamsTheDeterministicPatternWithItsLength() throws Exception {
        RunningSamples samples = start("name=search,port=0");
        int length = 3 * 64 * 1024 + 1000;
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(samples.baseUrl("search-1")
                + "/download?bytes=" + length)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValueAsLong("content-length")).hasValue(length);
        assertThat(answer.body()).isEqualTo(BytePattern.array(length));
        assertThat(get(samples.baseUrl("search-1") + "/download?bytes=x").statusCode()).isEqualTo(400);
    }

    @Test
    void fixedBytesAnswerWithExactlyTheAskedSize() throws Exception {
        RunningSamples samples = start("name=search,port=0");
        for (int round = 0; round < 2; round++) {
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(samples.baseUrl("search-1")
                    + "/bytes?size=1000")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(answer.body()).isEqualTo(BytePattern.array(1000));
        }
    }

    @Test
    void aHeldStreamSendsItsFirstChunkAndTheRestOnlyAfterRelease() throws Exception {
        RunningSamples samples = start("name=planner,port=0");
        String base = samples.baseUrl("planner-1");
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/stream?chunks=3&hold=h1")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (InputStream body = stream.body()) {
            byte[] first = "chunk 1 of 3\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(body.readNBytes(first.length)).isEqualTo(first);
            // the first chunk arrived while the rest is still held: the response is streamed
            HttpResponse<String> release = get(base + "/release?hold=h1");
            assertThat(release.body()).isEqualTo("{\"released\":\"h1\",\"waiting\":true}");
            assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("chunk 2 of 3\nchunk 3 of 3\n");
        }
    }

    @Test
    void aReleaseBeforeTheStreamLetsItRunStraightThrough() throws Exception {
        RunningSamples samples = start("name=search,port=0");
        String base = samples.baseUrl("search-1");
        assertThat(get(base + "/release?hold=early").body()).contains("\"waiting\":false");
        assertThat(get(base + "/stream?chunks=2&hold=early").body()).isEqualTo("chunk 1 of 2\nchunk 2 of 2\n");
        assertThat(get(base + "/stream?chunks=0").statusCode()).isEqualTo(400);
    }

    @Test
    void aTakenPortIsReportedInOneLineNamingTheInstance() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> start("name=search,instance=search-1,port=0", "name=search,instance=search-2,port=" + port))
                    .isInstanceOf(WorkloadStartException.class)
                    .hasMessage("search-2 cannot listen on 127.0.0.1:" + port + ": address already in use");
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
