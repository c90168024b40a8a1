package dev.meshgate.samples;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planner against a stand-in sidecar: the sidecar routes by Host header to real search and calc
 * workloads and records what the planner sent it.
 */
class PlannerTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    private final ConcurrentLinkedQueue<String> seenBySidecar = new ConcurrentLinkedQueue<>();
    private RunningSamples tools;
    private RunningSamples planner;
    private DisposableServer sidecar;

    @AfterEach
    void stop() {
        if (planner != null) {
            planner.close();
        }
        if (sidecar != null) {
            sidecar.disposeNow();
        }
        if (tools != null) {
            tools.close();
        }
    }

    /** Forwards to the tool named by the Host header; calc is held until search has arrived too. */
    private void startSidecar(Map<String, HttpResponseStatus> forcedStatus) {
        tools = RunningSamples.start(List.of(WorkloadSpec.parse("name=search,port=0"), WorkloadSpec.parse("name=calc,port=0")));
        Sinks.Empty<Void> searchArrived = Sinks.empty();
        HttpClient forwarder = HttpClient.create();
        sidecar = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
            String host = request.requestHeaders().get("host");
            seenBySidecar.add(host + " " + request.uri() + " " + request.requestHeaders().get("traceparent"));
            Mono<Void> ordering = Mono.empty();
            if ("search".equals(host)) {
                searchArrived.tryEmitEmpty();
            } else {
                // the calc answer waits for the search request: a planner calling one after the other would hang here
                ordering = searchArrived.asMono();
            }
            HttpResponseStatus forced = forcedStatus.get(host);
            if (forced != null) {
                return ordering.then(response.status(forced).sendString(Mono.just("{\"down\":true}")).then());
            }
            return ordering.then(forward(forwarder, host, request, response));
        }).bindNow();
    }

    private Mono<Void> forward(HttpClient forwarder, String host, HttpServerRequest request, HttpServerResponse response) {
        String target = tools.baseUrl(host + "-1") + request.uri();
        return forwarder.headers(headers -> {
                    String traceparent = request.requestHeaders().get("traceparent");
                    if (traceparent != null) {
                        headers.set("traceparent", traceparent);
                    }
                })
                .get().uri(target)
                .responseSingle((reply, body) -> body.asString().flatMap(text ->
                        response.status(reply.status()).sendString(Mono.just(text)).then()));
    }

    private void startPlanner(int outboundPort) {
        planner = RunningSamples.start(List.of(WorkloadSpec.parse(
                "name=planner,instance=planner-1,port=0,version=v2,outbound=http://127.0.0.1:" + outboundPort)));
    }

    private HttpResponse<String> plan(String task, String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(planner.baseUrl("planner-1") + "/plan?task=" + task))
                .timeout(Duration.ofSeconds(20));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void callsBothToolsConcurrentlyThroughTheSidecarByHostAndEmbedsTheirAnswers() throws Exception {
        startSidecar(Map.of());
        startPlanner(sidecar.port());

        HttpResponse<String> answer = plan("mesh%20demo", TRACEPARENT);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).startsWith("{\"task\":\"mesh demo\",\"planner\":{\"instance\":\"planner-1\",\"version\":\"v2\","
                + "\"traceparent\":\"" + TRACEPARENT + "\"},\"search\":{\"service\":\"search\",\"instance\":\"search-1\"");
        assertThat(answer.body()).contains(",\"calc\":{\"service\":\"calc\",\"instance\":\"calc-1\",\"version\":\"v1\","
                + "\"traceparent\":\"" + TRACEPARENT + "\",\"result\":{\"expression\":\"2*15\",\"value\":30}}}");
        assertThat(seenBySidecar).containsExactlyInAnyOrder(
                "search /search?q=mesh+demo " + TRACEPARENT,
                "calc /calc?expr=2*15 " + TRACEPARENT);
    }

    @Test
    void withoutATraceparentNoneIsInvented() throws Exception {
        startSidecar(Map.of());
        startPlanner(sidecar.port());

        HttpResponse<String> answer = plan("demo", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"planner\":{\"instance\":\"planner-1\",\"version\":\"v2\",\"traceparent\":null}");
        assertThat(seenBySidecar).allSatisfy(line -> assertThat(line).endsWith(" null"));
    }

    @Test
    void aFailedToolMakesA502NamingTheToolAndItsStatus() throws Exception {
        startSidecar(Map.of("calc", HttpResponseStatus.SERVICE_UNAVAILABLE));
        startPlanner(sidecar.port());

        HttpResponse<String> answer = plan("demo", TRACEPARENT);

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.body()).contains("\"error\":\"tool calc failed\"",
                "\"failed\":[{\"tool\":\"calc\",\"status\":503,\"detail\":\"{\\\"down\\\":true}\"}]");
    }

    @Test
    void anUnreachableSidecarMakesA502ForBothTools() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        startPlanner(closedPort);

        HttpResponse<String> answer = plan("demo", null);

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.body()).contains("\"error\":\"tool search failed\"", "{\"tool\":\"search\",\"status\":null",
                "{\"tool\":\"calc\",\"status\":null");
    }

    @Test
    void theEffortEstimateCountsWords() {
        assertThat(Workload.effortExpression("demo")).isEqualTo("1*15");
        assertThat(Workload.effortExpression("  plan the   trip ")).isEqualTo("3*15");
        assertThat(Workload.effortExpression("")).isEqualTo("0*15");
    }
}
