package dev.meshgate.gateway;

import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.HttpStatus;
import reactor.netty.http.client.PrematureCloseException;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamFailureTest {

    private static final URI ROUTE = URI.create("lb://search");
    private static final URI CHOSEN = URI.create("http://10.0.0.7:15106/query?q=x");

    @Test
    void noInstanceIs503NamingTheServiceAndNoUpstream() {
        UpstreamFailure failure = UpstreamFailure.classify(
                NotFoundException.create(false, "Unable to find instance for search"), ROUTE, ROUTE, null).orElseThrow();

        assertThat(failure.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(failure.error()).isEqualTo("no_endpoints");
        assertThat(failure.service()).isEqualTo("search");
        assertThat(failure.upstream()).isNull();
        assertThat(failure.body("/search/q", "r1")).doesNotContainKey("upstream");
    }

    @Test
    void aRefusedConnectionWrappedAnywhereInTheCauseChainIs502NamingTheEndpoint() {
        Exception wrapped = new IllegalStateException("routing failed", new ConnectException("Connection refused"));

        UpstreamFailure failure = UpstreamFailure.classify(wrapped, ROUTE, CHOSEN, null).orElseThrow();

        assertThat(failure.status()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(failure.error()).isEqualTo("upstream_connect_refused");
        assertThat(failure.upstream()).isEqualTo("10.0.0.7:15106");
        assertThat(failure.message()).isEqualTo("upstream 10.0.0.7:15106 of service 'search' refused the connection");
    }

    @Test
    void connectAndResponseTimeoutsAre504() {
        // Netty's connect timeout is a ConnectException too: it must be classified as a timeout first.
        UpstreamFailure connect = UpstreamFailure.classify(new ConnectTimeoutException("connect timed out"), ROUTE, CHOSEN,
                Duration.ofSeconds(30)).orElseThrow();
        assertThat(connect.status()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(connect.error()).isEqualTo("upstream_connect_timeout");

        UpstreamFailure response = UpstreamFailure.classify(new TimeoutException("Response took longer than timeout"),
                ROUTE, CHOSEN, Duration.ofMillis(1500)).orElseThrow();
        assertThat(response.status()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(response.error()).isEqualTo("upstream_timeout");
        assertThat(response.message()).isEqualTo(
                "upstream 10.0.0.7:15106 of service 'search' did not answer within the request timeout of 1500 ms");
        assertThat(response.body("/search/q", "r1")).containsEntry("error", "upstream_timeout");
    }

    @Test
    void aDroppedConnectionIs502UpstreamReset() {
        UpstreamFailure failure = UpstreamFailure.classify(
                new IllegalStateException("routing failed", PrematureCloseException.TEST_EXCEPTION), ROUTE, CHOSEN, null)
                .orElseThrow();

        assertThat(failure.status()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(failure.error()).isEqualTo("upstream_reset");
        assertThat(failure.message()).isEqualTo(
                "upstream 10.0.0.7:15106 of service 'search' closed the connection before answering");
    }

    @Test
    void aStaticRouteNamesItsHostAsTheService() {
        UpstreamFailure failure = UpstreamFailure.classify(new ConnectException("refused"),
                URI.create("http://legacy.internal:8080"), URI.create("http://legacy.internal:8080/x"), null).orElseThrow();

        assertThat(failure.service()).isEqualTo("legacy.internal");
        assertThat(failure.upstream()).isEqualTo("legacy.internal:8080");
    }

    @Test
    void failuresThatAreNotAboutTheUpstreamAreLeftToTheDefaultHandler() {
        assertThat(UpstreamFailure.classify(new IllegalArgumentException("bad filter config"), ROUTE, CHOSEN, null))
                .isEmpty();
        assertThat(UpstreamFailure.classify(new ConnectException("refused"), ROUTE, null, null)).isEmpty();
    }
}
