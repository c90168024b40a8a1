package dev.meshgate.proxy.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HopByHopHeadersTest {

    @Test
    void removesConnectionAndEveryHeaderItNames() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Hop-A")
                .add("Connection", "x-hop-b ,close")
                .add("X-Hop-A", "1")
                .add("X-Hop-B", "2")
                .add("X-End", "3");

        HopByHopHeaders.strip(headers);

        assertThat(headers.names()).containsExactly("X-End");
    }

    @Test
    void removesTheFixedHopByHopHeaders() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("Upgrade", "websocket")
                .add("Proxy-Authorization", "Basic x")
                .add("Proxy-Authenticate", "Basic")
                .add("Accept", "*/*");

        HopByHopHeaders.strip(headers);

        assertThat(headers.names()).containsExactly("Accept");
    }

    @Test
    void keepsOnlyTrailersOfTe() {
        HttpHeaders withTrailers = new DefaultHttpHeaders().add("TE", "deflate;q=0.5, Trailers");
        HttpHeaders withoutTrailers = new DefaultHttpHeaders().add("TE", "gzip");

        HopByHopHeaders.strip(withTrailers);
        HopByHopHeaders.strip(withoutTrailers);

        assertThat(withTrailers.get("te")).isEqualTo("trailers");
        assertThat(withoutTrailers.contains("te")).isFalse();
    }

    @Test
    void neverRemovesFramingOrHostEvenWhenConnectionNamesThem() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "Content-Length, Transfer-Encoding, Host")
                .add("Content-Length", "5")
                .add("Transfer-Encoding", "chunked")
                .add("Host", "search");

        HopByHopHeaders.strip(headers);

        assertThat(headers.names()).containsExactlyInAnyOrder("Content-Length", "Transfer-Encoding", "Host");
    }
}
