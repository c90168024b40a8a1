package dev.meshgate.core.balance;

import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Passive outlier detection on virtual time. */
class OutlierDetectorTest {

    private static final OutlierDetector.Settings SETTINGS =
            new OutlierDetector.Settings(3, Duration.ofSeconds(30), Duration.ofSeconds(90), 50);

    private final AtomicLong now = new AtomicLong(-5_000_000_000L);
    private final OutlierDetector outliers = new OutlierDetector(SETTINGS, now::get);

    private static Endpoint endpoint(int port) {
        return new Endpoint("search-" + port, "127.0.0.1", port, Map.of());
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void aRefusedConnectionEjectsAtOnceForTheBaseTime() {
        assertThat(outliers.failed("search", "127.0.0.1", 9101, 2, true)).isTrue();

        assertThat(outliers.ejected(endpoint(9101))).isTrue();
        assertThat(outliers.ejected(endpoint(9102))).isFalse();
        advance(Duration.ofSeconds(29));
        assertThat(outliers.ejected(endpoint(9101))).isTrue();
        advance(Duration.ofSeconds(2));
        assertThat(outliers.ejected(endpoint(9101))).as("back after 30 s").isFalse();
    }

    @Test
    void otherFailuresEjectOnlyAfterARunAndAnAnswerEndsTheRun() {
        outliers.failed("search", "127.0.0.1", 9101, 4, false);
        outliers.failed("search", "127.0.0.1", 9101, 4, false);
        outliers.succeeded("127.0.0.1", 9101);
        outliers.failed("search", "127.0.0.1", 9101, 4, false);
        outliers.failed("search", "127.0.0.1", 9101, 4, false);
        assertThat(outliers.ejected(endpoint(9101))).as("two in a row, not three").isFalse();

        assertThat(outliers.failed("search", "127.0.0.1", 9101, 4, false)).isTrue();
        assertThat(outliers.ejected(endpoint(9101))).isTrue();
    }

    @Test
    void eachRepeatOffenceLastsLongerUpToTheCap() {
        outliers.failed("search", "127.0.0.1", 9101, 2, true);
        advance(Duration.ofSeconds(31));
        outliers.failed("search", "127.0.0.1", 9101, 2, true);
        advance(Duration.ofSeconds(59));
        assertThat(outliers.ejected(endpoint(9101))).as("the second ejection lasts 60 s").isTrue();
        advance(Duration.ofSeconds(2));
        outliers.failed("search", "127.0.0.1", 9101, 2, true);
        outliers.failed("search", "127.0.0.1", 9101, 2, true);
        advance(Duration.ofSeconds(89));
        assertThat(outliers.ejected(endpoint(9101))).as("the third: 90 s, the cap").isTrue();
        advance(Duration.ofSeconds(2));
        assertThat(outliers.ejected(endpoint(9101))).isFalse();
    }

    @Test
    void atMostTheCappedShareOfAServiceIsOutButAlwaysOne() {
        assertThat(outliers.failed("search", "127.0.0.1", 9101, 2, true)).as("one of two may always leave").isTrue();
        assertThat(outliers.failed("search", "127.0.0.1", 9102, 2, true)).as("50% of two is one").isFalse();
        assertThat(outliers.ejected(endpoint(9102))).isFalse();
        assertThat(outliers.failed("calc", "127.0.0.1", 9201, 1, true)).as("another service has its own share").isTrue();
    }

    @Test
    void theBalancerStepsOverEjectedEndpointsAndPanicsWhenAllAreOut() {
        EndpointSet set = new EndpointSet("search", List.of(endpoint(9101), endpoint(9102)));
        EjectingBalancer balancer = new EjectingBalancer(RoundRobinBalancer.startingAtFirst(), outliers);
        outliers.failed("search", "127.0.0.1", 9101, 2, true);

        for (int i = 0; i < 4; i++) {
            assertThat(balancer.pick(set).port()).isEqualTo(9102);
        }
        EndpointSet single = new EndpointSet("search", List.of(endpoint(9101)));
        assertThat(balancer.pick(single).port()).as("no endpoint in rotation: the pick stands").isEqualTo(9101);
    }

    @Test
    void settingsAreValidatedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> new OutlierDetector.Settings(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 10))
                .hasMessageContaining("consecutive-failures must be at least 1, was 0");
        assertThatThrownBy(() -> new OutlierDetector.Settings(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 101))
                .hasMessageContaining("max-ejected-percent must be between 0 and 100, was 101");
    }
}
