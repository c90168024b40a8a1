package dev.meshgate.bench.load;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's bookkeeping against a real server; no assertion on how fast anything is. */
class OpenLoopLoadTest {

    private LoopbackUpstream upstream;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = LoopbackUpstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void sendsExactlyTheScheduledRequestsAndRecordsOnlyTheMeasuredWindow() {
        try (OpenLoopLoad load = new OpenLoopLoad()) {
            boolean[] windowOpened = new boolean[1];
            OpenLoopResult result = load.run(upstream.port(), "bench-upstream", "/bytes?size=1024", 200, 4,
                    Duration.ofMillis(250), Duration.ofMillis(500), () -> windowOpened[0] = true);

            // 200 req/s: 50 due in the lead-in, 100 in the window; only the window's are counted
            assertThat(windowOpened[0]).isTrue();
            assertThat(result.scheduled()).isEqualTo(100);
            assertThat(result.completed()).isEqualTo(100);
            assertThat(result.failed()).isZero();
            assertThat(result.responseTime().count()).isEqualTo(100);
            assertThat(upstream.answered("bench-upstream")).isEqualTo(150);
            assertThat(upstream.answered()).isEqualTo(150);
            // measured from the intended send time, so never below the time from the actual send
            assertThat(result.responseTime().p99Micros()).isGreaterThanOrEqualTo(result.serviceTime().p99Micros());
        }
    }

    @Test
    void countsNon200AnswersAsFailures() {
        try (OpenLoopLoad load = new OpenLoopLoad()) {
            OpenLoopResult result = load.run(upstream.port(), "x", "/fail", 100, 2,
                    Duration.ZERO, Duration.ofMillis(300), () -> { });

            assertThat(result.scheduled()).isEqualTo(30);
            assertThat(result.failed()).isEqualTo(30);
            assertThat(result.completed()).isZero();
        }
    }
}
