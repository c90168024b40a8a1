package dev.meshgate.node.discovery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnknownServiceCacheTest {

    private static final Duration TTL = Duration.ofSeconds(5);

    private final AtomicLong nanos = new AtomicLong(-7);
    private final UnknownServiceCache cache = new UnknownServiceCache(TTL, 3, nanos::get);

    @Test
    void remembersANameForTheTtl() {
        cache.put("ghost");

        nanos.addAndGet(TTL.toNanos() - 1);
        assertThat(cache.get("ghost").isEmpty()).isTrue();
        nanos.incrementAndGet();
        assertThat(cache.get("ghost")).isNull();
        assertThat(cache.size()).as("an expired entry found on read is dropped").isZero();
    }

    @Test
    void expiredNamesAreDroppedWhenTheNextNameComesEvenIfNobodyAsksForThem() {
        cache.put("a");
        cache.put("b");
        nanos.addAndGet(TTL.toNanos());

        cache.put("c");

        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void beyondItsCapacityTheLeastRecentlyInsertedNameGoesFirst() {
        cache.put("a");
        cache.put("b");
        cache.put("c");
        cache.put("a");

        cache.put("d");

        // "a" was put again after "b" and "c": "b" is the oldest now
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isNotNull();
        assertThat(cache.get("c")).isNotNull();
        assertThat(cache.get("d")).isNotNull();
        assertThat(cache.size()).isLessThanOrEqualTo(3);
    }

    @Test
    void aNamePutAgainLivesForTheTtlFromThen() {
        cache.put("ghost");
        nanos.addAndGet(TTL.toNanos() - 1);
        cache.put("ghost");

        nanos.addAndGet(TTL.toNanos() - 1);

        assertThat(cache.get("ghost")).isNotNull();
    }

    @Test
    void aRemovedNameIsNoLongerRemembered() {
        cache.put("pay");

        cache.remove("pay");

        assertThat(cache.get("pay")).isNull();
    }

    @Test
    void rejectsABadTtlOrCapacityNamingTheValue() {
        assertThatThrownBy(() -> new UnknownServiceCache(Duration.ZERO, 3, nanos::get)).hasMessageContaining("was PT0S");
        assertThatThrownBy(() -> new UnknownServiceCache(TTL, 0, nanos::get)).hasMessageContaining("was 0");
    }
}
