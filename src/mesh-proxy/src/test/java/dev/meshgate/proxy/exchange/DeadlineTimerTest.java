package dev.meshgate.proxy.exchange;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The deadline on the event loop's virtual time. */
class DeadlineTimerTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
    private final AtomicInteger expired = new AtomicInteger();
    private final DeadlineTimer timer = new DeadlineTimer(channel.eventLoop(), expired::incrementAndGet);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void advance(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void expiresOnceItsTimeHasPassed() {
        timer.arm(TimeUnit.MILLISECONDS.toNanos(100));
        advance(99);
        assertThat(expired).hasValue(0);
        advance(1);
        assertThat(expired).hasValue(1);
        advance(1000);
        assertThat(expired).hasValue(1);
    }

    @Test
    void aDisarmedDeadlineNeverExpires() {
        timer.arm(TimeUnit.MILLISECONDS.toNanos(100));
        advance(50);
        timer.disarm();
        advance(1000);
        assertThat(expired).hasValue(0);
    }

    @Test
    void aLaterExchangeReusesTheTaskAndIsTimedFromItsOwnStart() {
        timer.arm(TimeUnit.MILLISECONDS.toNanos(100));
        advance(60);
        timer.disarm();
        // the next exchange starts at 60 ms: its deadline is 160 ms, though the task was set for 100 ms
        timer.arm(TimeUnit.MILLISECONDS.toNanos(100));
        advance(40);
        assertThat(expired).as("at 100 ms").hasValue(0);
        advance(59);
        assertThat(expired).as("at 159 ms").hasValue(0);
        advance(1);
        assertThat(expired).as("at 160 ms").hasValue(1);
    }

    @Test
    void anEarlierDeadlineThanTheScheduledTaskIsHonoured() {
        timer.arm(TimeUnit.SECONDS.toNanos(10));
        timer.disarm();
        timer.arm(TimeUnit.MILLISECONDS.toNanos(100));
        advance(100);
        assertThat(expired).hasValue(1);
    }

    @Test
    void cancelledTimersDropTheirTask() {
        timer.arm(TimeUnit.MILLISECONDS.toNanos(100));
        timer.cancel();
        advance(1000);
        assertThat(expired).hasValue(0);
    }
}
