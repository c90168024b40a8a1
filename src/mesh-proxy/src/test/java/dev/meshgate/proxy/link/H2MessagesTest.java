package dev.meshgate.proxy.link;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class H2MessagesTest {

    @Test
    void anHttp1RequestBecomesPseudoHeadersAndLowerCaseFieldsWithoutConnectionSpecificOnes() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/orders?id=7");
        request.headers()
                .add("Host", "orders")
                .add("Content-Type", "application/json")
                .add("Transfer-Encoding", "chunked")
                .add("Connection", "keep-alive")
                .add("Keep-Alive", "timeout=5")
                .add("Upgrade", "h2c")
                .add("X-Trace", "a")
                .add("X-Trace", "b");

        Http2Headers head = H2Messages.requestHead(request);

        assertThat(head.method()).hasToString("POST");
        assertThat(head.path()).hasToString("/orders?id=7");
        assertThat(head.authority()).hasToString("orders");
        assertThat(head.scheme()).hasToString("http");
        assertThat(head.get("content-type")).hasToString("application/json");
        assertThat(head.getAll("x-trace")).extracting(CharSequence::toString).containsExactly("a", "b");
        assertThat(head.contains("host")).isFalse();
        assertThat(head.contains("transfer-encoding")).isFalse();
        assertThat(head.contains("connection")).isFalse();
        assertThat(head.contains("keep-alive")).isFalse();
        assertThat(head.contains("upgrade")).isFalse();
    }

    @Test
    void aStreamRequestBecomesAnHttp1RequestWithHostAndOneCookieField() {
        Http2Headers in = new DefaultHttp2Headers()
                .method("GET").scheme("http").authority("search:80").path("/q")
                .add("cookie", "a=1").add("cookie", "b=2").add("accept", "text/plain");

        HttpRequest request = H2Messages.request(in, true);

        assertThat(request.method()).isEqualTo(HttpMethod.GET);
        assertThat(request.uri()).isEqualTo("/q");
        assertThat(request.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        HttpHeaders headers = request.headers();
        assertThat(headers.get("host")).isEqualTo("search:80");
        assertThat(headers.getAll("cookie")).containsExactly("a=1; b=2");
        assertThat(headers.get("accept")).isEqualTo("text/plain");
        assertThat(headers.names()).noneMatch(name -> name.startsWith(":"));
        assertThat(headers.contains("transfer-encoding")).isFalse();
    }

    @Test
    void aBodyOfUnstatedLengthIsChunkedOnTheHttp1Side() {
        Http2Headers withoutLength = new DefaultHttp2Headers().method("POST").scheme("http").authority("a").path("/");
        assertThat(H2Messages.request(withoutLength, false).headers().get("transfer-encoding")).isEqualTo("chunked");

        Http2Headers withLength = new DefaultHttp2Headers().method("POST").scheme("http").authority("a").path("/")
                .add("content-length", "3");
        HttpRequest framed = H2Messages.request(withLength, false);
        assertThat(framed.headers().get("content-length")).isEqualTo("3");
        assertThat(framed.headers().contains("transfer-encoding")).isFalse();

        HttpResponse response = H2Messages.response(new DefaultHttp2Headers().status("200"), false);
        assertThat(response.headers().get("transfer-encoding")).isEqualTo("chunked");
        HttpResponse empty = H2Messages.response(new DefaultHttp2Headers().status("200"), true);
        assertThat(empty.headers().contains("transfer-encoding")).isFalse();
    }

    @Test
    void requestTargetsThatCannotBeAnHttp1RequestLineAreRefusedByName() {
        assertThatThrownBy(() -> H2Messages.request(new DefaultHttp2Headers(false)
                .method("GET").scheme("http").authority("a").path("/a b"), true))
                .hasMessageContaining(":path");
        assertThatThrownBy(() -> H2Messages.request(new DefaultHttp2Headers(false)
                .method("GET").scheme("http").authority("a"), true))
                .hasMessageContaining(":path");
        assertThatThrownBy(() -> H2Messages.request(new DefaultHttp2Headers(false)
                .method("GE T").scheme("http").authority("a").path("/"), true))
                .hasMessageContaining(":method");
        assertThatThrownBy(() -> H2Messages.request(new DefaultHttp2Headers(false)
                .method("GET").scheme("http").authority("a b").path("/"), true))
                .hasMessageContaining(":authority");
    }

    @Test
    void aResponseKeepsItsStatusAndFieldsAndAnInvalidStatusIsAFailedDecode() {
        HttpResponse upstream = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CREATED,
                new DefaultHttpHeaders().add("Location", "/orders/7").add("Connection", "close"));
        Http2Headers head = H2Messages.responseHead(upstream);
        assertThat(head.status()).hasToString("201");
        assertThat(head.get("location")).hasToString("/orders/7");
        assertThat(head.contains("connection")).isFalse();

        HttpResponse back = H2Messages.response(head, true);
        assertThat(back.status()).isEqualTo(HttpResponseStatus.CREATED);
        assertThat(back.headers().get("location")).isEqualTo("/orders/7");

        HttpResponse invalid = H2Messages.response(new DefaultHttp2Headers(false).status("2x0"), true);
        assertThat(invalid.decoderResult().isFailure()).isTrue();
        assertThat(invalid.decoderResult().cause()).hasMessageContaining(":status");
        HttpResponse missing = H2Messages.response(new DefaultHttp2Headers(false), true);
        assertThat(missing.decoderResult().isFailure()).isTrue();
    }

    @Test
    void trailerFieldsCrossBothWays() {
        HttpHeaders trailers = new DefaultHttpHeaders().add("Grpc-Status", "0").add("x-checksum", "abc");
        Http2Headers frame = H2Messages.trailers(trailers);
        assertThat(frame.get("grpc-status")).hasToString("0");
        assertThat(frame.get("x-checksum")).hasToString("abc");

        LastHttpContent last = H2Messages.trailers(frame);
        assertThat(last.content().isReadable()).isFalse();
        assertThat(last.trailingHeaders().get("grpc-status")).isEqualTo("0");
        assertThat(last.trailingHeaders().get("x-checksum")).isEqualTo("abc");
        last.release();
    }
}
