package dev.meshgate.proxy.http;

import dev.meshgate.core.trace.TraceContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingHeadersTest {

    private static final ClientAddress IPV4 = address("10.1.2.3");
    private static final ClientAddress IPV6 = address("2001:db8::7");

    @Test
    void firstHopSetsTheWholeFamily() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Host", "search");

        ForwardingHeaders.appendHop(headers, IPV4, "http");

        assertThat(headers.get("x-forwarded-for")).isEqualTo("10.1.2.3");
        assertThat(headers.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(headers.get("x-forwarded-host")).isEqualTo("search");
        assertThat(headers.get("forwarded")).isEqualTo("for=10.1.2.3;host=search;proto=http");
        assertThat(headers.get("via")).isEqualTo("1.1 mesh-node");
    }

    @Test
    void laterHopsAppendAndKeepTheOriginalHostAndProtocol() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Host", "search")
                .add("X-Forwarded-For", "203.0.113.9")
                .add("X-Forwarded-Proto", "https")
                .add("X-Forwarded-Host", "api.example.com")
                .add("Forwarded", "for=203.0.113.9;proto=https");

        ForwardingHeaders.appendHop(headers, IPV6, "http");

        assertThat(headers.get("x-forwarded-for")).isEqualTo("203.0.113.9, 2001:db8:0:0:0:0:0:7");
        assertThat(headers.get("x-forwarded-proto")).isEqualTo("https");
        assertThat(headers.get("x-forwarded-host")).isEqualTo("api.example.com");
        assertThat(headers.get("forwarded"))
                .isEqualTo("for=203.0.113.9;proto=https, for=\"[2001:db8:0:0:0:0:0:7]\";host=search;proto=http");
    }

    @Test
    void hostWithPortIsQuotedInForwarded() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Host", "search:8080");

        ForwardingHeaders.appendHop(headers, IPV4, "http");

        assertThat(headers.get("forwarded")).isEqualTo("for=10.1.2.3;host=\"search:8080\";proto=http");
    }

    @Test
    void requestWithoutHostGetsNoHostElements() {
        HttpHeaders headers = new DefaultHttpHeaders();

        ForwardingHeaders.appendHop(headers, ClientAddress.UNKNOWN, "http");

        assertThat(headers.contains("x-forwarded-host")).isFalse();
        assertThat(headers.get("forwarded")).isEqualTo("for=unknown;proto=http");
    }

    @Test
    void validParentMakesThisHopAChildSpanAndKeepsTracestate() {
        String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        HttpHeaders headers = new DefaultHttpHeaders().add("traceparent", parent).add("tracestate", "a=1");

        TraceContext span = TraceContext.parse(ForwardingHeaders.continueTrace(headers));

        assertThat(span.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(span.spanId()).isNotEqualTo("b7ad6b7169203331");
        assertThat(span.sampled()).isTrue();
        assertThat(headers.get("traceparent")).isEqualTo(span.traceparent());
        assertThat(headers.get("tracestate")).isEqualTo("a=1");
    }

    @Test
    void invalidParentStartsANewTraceAndDropsItsTracestate() {
        HttpHeaders headers = new DefaultHttpHeaders().add("traceparent", "garbage").add("tracestate", "a=1");

        String sent = ForwardingHeaders.continueTrace(headers);

        TraceContext span = TraceContext.parse(sent);
        assertThat(span).isNotNull();
        assertThat(span.sampled()).isTrue();
        assertThat(headers.get("traceparent")).isEqualTo(sent);
        assertThat(headers.contains("tracestate")).isFalse();
    }

    private static ClientAddress address(String ip) {
        try {
            return ClientAddress.of(new InetSocketAddress(InetAddress.getByName(ip), 40000));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
