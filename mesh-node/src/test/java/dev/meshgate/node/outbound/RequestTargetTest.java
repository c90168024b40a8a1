package dev.meshgate.node.outbound;

import dev.meshgate.proxy.http.ProxyError;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTargetTest {

    @Test
    void originFormIsRoutedByHostWithoutPortInLowerCase() {
        HttpRequest request = request("/a?b=c");
        request.headers().set("Host", "Search.:8080");

        RequestTarget target = RequestTarget.of(request);

        assertThat(target.service()).isEqualTo("search");
        assertThat(request.uri()).isEqualTo("/a?b=c");
        assertThat(request.headers().get("host")).isEqualTo("Search.:8080");
    }

    @Test
    void absoluteFormIsRewrittenToOriginFormWithTheAuthorityAsHost() {
        HttpRequest request = request("HTTP://user@calc:9000/sum?x=1#frag");
        request.headers().set("Host", "ignored");

        RequestTarget target = RequestTarget.of(request);

        assertThat(target.service()).isEqualTo("calc");
        assertThat(request.uri()).isEqualTo("/sum?x=1");
        assertThat(request.headers().get("host")).isEqualTo("calc:9000");
    }

    @Test
    void absoluteFormWithOnlyAQueryGetsARootPath() {
        HttpRequest request = request("http://calc?x=1");

        RequestTarget.of(request);

        assertThat(request.uri()).isEqualTo("/?x=1");
    }

    @Test
    void ipv6LiteralKeepsItsBrackets() {
        assertThat(RequestTarget.serviceName("[::1]:8080")).isEqualTo("[::1]");
    }

    @Test
    void missingHostIsAProblemNamedAsSuch() {
        RequestTarget target = RequestTarget.of(request("/x"));

        assertThat(target.problem()).isEqualTo(ProxyError.MISSING_HOST);
        assertThat(target.message()).contains("Host");
    }

    @Test
    void httpsTargetsAreRefusedWithAHint() {
        RequestTarget target = RequestTarget.of(request("https://calc/"));

        assertThat(target.problem()).isEqualTo(ProxyError.BAD_REQUEST);
        assertThat(target.message()).contains("CONNECT");
    }

    private static HttpRequest request(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }
}
