package dev.meshgate.e2e;

import dev.meshgate.launcher.MeshNode;
import dev.meshgate.launcher.RunningTopology;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the mesh does with the unusual: bodies far larger than a node's heap, requests it cannot
 * route or parse, and an app that has gone away (last, as it stops the sample workloads).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshEdgeCasesIT {

    private static final long LARGE = 64L * 1024 * 1024;

    /** The node every large body crosses runs with a heap and direct memory far below the body size. */
    @RegisterExtension
    static final MeshTopologyExtension MESH = new MeshTopologyExtension()
            .jvmOptionsFor("mesh-node-planner-1", "-Xmx64m", "-XX:MaxDirectMemorySize=32m")
            .jvmOptionsFor("mesh-node-search-1", "-Xmx64m", "-XX:MaxDirectMemorySize=32m")
            .jvmOptionsFor("mesh-node-search-2", "-Xmx64m", "-XX:MaxDirectMemorySize=32m");

    private static RunningTopology mesh() {
        return MESH.topology();
    }

    private static MeshNode planner() {
        return mesh().node("planner-1");
    }

    @Test
    @Order(1)
    void a64MegabyteUploadCrossesTheMeshIntactThroughBoundedNodes() throws Exception {
        GeneratedBody body = new GeneratedBody(LARGE, 42);
        HttpRequest request = HttpRequest.newBuilder(URI.create(planner().outboundUrl() + "/upload"))
                .timeout(Http.TIMEOUT)
                .header("Host", "search")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), LARGE))
                .build();

        HttpResponse<String> response = Http.client().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode received = Http.json(response.body());
        assertThat(body.produced()).isEqualTo(LARGE);
        assertThat(received.path("bytes").asLong()).isEqualTo(LARGE);
        assertThat(received.path("sha256").asString()).isEqualTo(body.sha256Hex());
        assertThat(received.path("instance").asString()).isIn("search-1", "search-2");
        assertThat(mesh().process("mesh-node-planner-1").isAlive()).isTrue();
        assertThat(Http.get(planner().adminUrl() + "/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void a64MegabyteDownloadStreamsThroughTheGatewayIntact() throws Exception {
        HttpResponse<InputStream> response = Http.client().send(HttpRequest.newBuilder(
                        URI.create(mesh().gatewayUrl() + "/planner/download?bytes=" + LARGE)).timeout(Http.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        MessageDigest digest = GeneratedBody.sha256();
        long count = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
                count += read;
            }
        }
        assertThat(count).isEqualTo(LARGE);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(GeneratedBody.downloadPatternSha256(LARGE));
        assertThat(mesh().process("mesh-node-planner-1").isAlive()).isTrue();
    }

    @Test
    @Order(3)
    void aCallToAnUnknownServiceIsA503NamingIt() throws Exception {
        HttpResponse<String> response = Http.get(planner().outboundUrl() + "/anything", "Host", "no-such-service");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).contains("json"));
        assertThat(Http.json(response.body()).toString()).contains("no-such-service");
    }

    @Test
    @Order(4)
    void aMalformedRequestLineIsA400() throws Exception {
        String answer = Http.raw(planner().outboundPort(), "THIS IS NOT HTTP\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ");
    }

    @Test
    @Order(5)
    void aHugeHeaderBlockIsA431() throws Exception {
        String answer = Http.raw(planner().outboundPort(), "GET /search?q=x HTTP/1.1\r\nHost: search\r\n"
                + "X-Padding: " + "a".repeat(32 * 1024) + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 431 ");
    }

    @Test
    @Order(6)
    void aRequestToANodeWhoseAppIsDownIsA502NamingTheUpstream() throws Exception {
        assertThat(mesh().stopProcess("samples")).as("killed instead of stopped").isEmpty();
        MeshNode calc = mesh().node("calc-1");

        HttpResponse<String> response = Http.get(planner().outboundUrl() + "/calc?expr=1", "Host", "calc");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(response.body()).contains("127.0.0.1:" + calc.appPort());
        assertThat(Http.json(response.body()).isObject()).isTrue();
    }
}
