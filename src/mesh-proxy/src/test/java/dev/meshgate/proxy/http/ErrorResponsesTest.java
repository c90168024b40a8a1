package dev.meshgate.proxy.http;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorResponsesTest {

    @Test
    void bodyIsJsonWithCodeMessageAndFieldsEscaped() {
        String json = ErrorResponses.json(ProxyError.NO_ENDPOINTS, "no endpoint of \"a\\b\"\n",
                "service", "a\"b", "upstream", null, "limit_bytes", 8192);

        assertThat(json).isEqualTo("{\"error\":\"no_endpoints\",\"status\":503,\"message\":\"no endpoint of \\\"a\\\\b\\\"\\n\","
                + "\"service\":\"a\\\"b\",\"limit_bytes\":8192}");
    }

    @Test
    void aDownstreamsContextFollowsTheFields() {
        String json = ErrorResponses.json(ProxyError.UPSTREAM_TIMEOUT, "late", new Object[] {"timeout_ms", 300},
                new Object[] {"path", "/search", "requestId", "ab-1"});

        assertThat(json).isEqualTo("{\"error\":\"upstream_timeout\",\"status\":504,\"message\":\"late\","
                + "\"timeout_ms\":300,\"path\":\"/search\",\"requestId\":\"ab-1\"}");
    }

    @Test
    void responseCarriesStatusTypeLengthAndConnectionHeader() {
        String json = ErrorResponses.json(ProxyError.UPSTREAM_RESET, "gone");
        FullHttpResponse response = ErrorResponses.response(UnpooledByteBufAllocator.DEFAULT, ProxyError.UPSTREAM_RESET,
                json, false, true, false, true);
        try {
            assertThat(response.status().code()).isEqualTo(502);
            assertThat(response.headers().get("via")).isEqualTo("1.1 mesh-node");
            assertThat(response.headers().get("content-type")).isEqualTo("application/json");
            assertThat(response.headers().getInt("content-length")).isEqualTo(json.length());
            assertThat(response.headers().get("connection")).isEqualTo("close");
            assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo(json);
        } finally {
            response.release();
        }
    }

    @Test
    void headAnswerAnnouncesTheLengthWithoutABody() {
        String json = ErrorResponses.json(ProxyError.NO_ENDPOINTS, "none");
        FullHttpResponse response = ErrorResponses.response(UnpooledByteBufAllocator.DEFAULT, ProxyError.NO_ENDPOINTS,
                json, true, false, true, false);
        try {
            assertThat(response.content().readableBytes()).isZero();
            assertThat(response.headers().getInt("content-length")).isEqualTo(json.length());
            assertThat(response.headers().get("connection")).isEqualTo("keep-alive");
            assertThat(response.headers().contains("via")).as("an edge answer names no mesh hop").isFalse();
        } finally {
            response.release();
        }
    }
}
