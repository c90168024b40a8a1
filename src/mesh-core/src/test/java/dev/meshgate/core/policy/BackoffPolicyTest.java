package dev.meshgate.core.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffPolicyTest {

    private static final long MS = 1_000_000;

    @Test
    void byDefaultTheFirstRetryWaitsUpTo25msAndTheCapIsTenTimesThat() {
        BackoffPolicy backoff = BackoffPolicy.DEFAULT;

        assertThat(backoff.base()).isEqualTo(Duration.ofMillis(25));
        assertThat(backoff.max()).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.delayNanos(1, 0.999_999)).isBetween(24 * MS, 25 * MS);
    }

    @Test
    void theCeilingDoublesWithEachRetryUpToTheMax() {
        BackoffPolicy backoff = new BackoffPolicy(Duration.ofMillis(10), Duration.ofMillis(70));

        assertThat(backoff.delayNanos(1, 0.5)).isEqualTo(5 * MS);
        assertThat(backoff.delayNanos(2, 0.5)).isEqualTo(10 * MS);
        assertThat(backoff.delayNanos(3, 0.5)).isEqualTo(20 * MS);
        assertThat(backoff.delayNanos(4, 0.5)).as("capped at 70 ms").isEqualTo(35 * MS);
        assertThat(backoff.delayNanos(60, 0.5)).as("no overflow however many retries").isEqualTo(35 * MS);
    }

    @Test
    void fullJitterSpreadsTheWaitFromZeroToTheCeiling() {
        BackoffPolicy backoff = new BackoffPolicy(Duration.ofMillis(100), null);

        assertThat(backoff.delayNanos(1, 0.0)).isZero();
        assertThat(backoff.delayNanos(1, 0.25)).isEqualTo(25 * MS);
    }

    @Test
    void badValuesAreRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofMillis(-5), null))
                .hasMessage("retries.backoff.base must be a positive duration, was PT-0.005S");
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofMillis(50), Duration.ofMillis(10)))
                .hasMessage("retries.backoff.max must not be shorter than the base (PT0.05S), was PT0.01S");
    }
}
