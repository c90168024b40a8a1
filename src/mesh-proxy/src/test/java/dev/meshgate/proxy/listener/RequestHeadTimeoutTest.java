package dev.meshgate.proxy.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The slow-header defence on virtual time. */
class RequestHeadTimeoutTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final AtomicInteger timeouts = new AtomicInteger();
    private final RequestHeadTimeout headTimeout =
            new RequestHeadTimeout(TimeUnit.MILLISECONDS.toNanos(300), timeouts::incrementAndGet);
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).handlers(headTimeout).build();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void advance(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private void receive(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
        ((ByteBuf) channel.readInbound()).release();
    }

    private String answer() {
        ByteBuf written = channel.readOutbound();
        try {
            return written.toString(StandardCharsets.US_ASCII);
        } finally {
            written.release();
        }
    }

    @Test
    void aHeadUnfinishedAfterTheTimeoutIsAnswered408AndClosed() {
        receive("GET / HT");
        advance(299);
        assertThat(channel.isActive()).isTrue();
        advance(1);

        assertThat(answer()).startsWith("HTTP/1.1 408 Request Timeout\r\n")
                .contains("connection: close", "\"error\":\"request_head_timeout\"", "\"timeout_ms\":300");
        assertThat(channel.isActive()).isFalse();
        assertThat(timeouts).hasValue(1);
    }

    @Test
    void theClockStartsAtTheFirstByteNotAtTheConnection() {
        advance(1000);
        receive("G");
        advance(299);
        assertThat(channel.isActive()).isTrue();
        assertThat(timeouts).hasValue(0);
    }

    @Test
    void aCompleteHeadStopsTheClockAndABodyIsNotTimed() {
        receive("POST / HTTP/1.1\r\n");
        headTimeout.headReceived();
        receive("some body bytes");
        advance(10_000);
        assertThat(channel.isActive()).isTrue();
        assertThat(timeouts).hasValue(0);
    }

    @Test
    void theNextRequestOfAKeepAliveConnectionIsTimedFromItsOwnFirstByte() {
        receive("GET /one HTTP/1.1\r\n\r\n");
        headTimeout.headReceived();
        advance(250);
        headTimeout.exchangeEnded();
        advance(5_000);
        assertThat(channel.isActive()).as("idle between requests is the idle timeout's business").isTrue();
        receive("GET /two");
        advance(300);
        assertThat(channel.isActive()).isFalse();
        assertThat(answer()).startsWith("HTTP/1.1 408");
    }

    @Test
    void aPipelinedHeadWhileAnExchangeIsOpenIsNotTimed() {
        receive("GET /one HTTP/1.1\r\n\r\nGET /tw");
        headTimeout.headReceived();
        advance(1_000);
        assertThat(channel.isActive()).isTrue();
    }
}
