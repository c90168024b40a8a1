package dev.meshgate.proxy.pool;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdleConnectionsTest {

    private static final InetSocketAddress ORDERS = InetSocketAddress.createUnresolved("orders", 8080);
    private static final InetSocketAddress PAYMENTS = InetSocketAddress.createUnresolved("payments", 8080);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(60);

    /** Stands in for the event loop: its scheduled sweep runs only when the test asks. */
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private long now = 1_000;
    private final IdleConnections<InetSocketAddress, EmbeddedChannel> pool =
            new IdleConnections<>(loop.eventLoop(), Function.identity(), 2, TIMEOUT, () -> now);

    @AfterEach
    void closeLoop() {
        loop.finishAndReleaseAll();
    }

    @Test
    void handsOutTheMostRecentlyReleasedConnectionOfTheAddress() {
        EmbeddedChannel older = new EmbeddedChannel();
        EmbeddedChannel newer = new EmbeddedChannel();
        EmbeddedChannel other = new EmbeddedChannel();
        pool.release(ORDERS, older);
        pool.release(ORDERS, newer);
        pool.release(PAYMENTS, other);

        assertThat(pool.idle()).isEqualTo(3);
        assertThat(pool.acquire(ORDERS)).isSameAs(newer);
        assertThat(pool.acquire(ORDERS)).isSameAs(older);
        assertThat(pool.acquire(ORDERS)).isNull();
        assertThat(pool.acquire(PAYMENTS)).isSameAs(other);
        assertThat(pool.idle()).isZero();
    }

    @Test
    void closesWhatExceedsTheAddressesShare() {
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        EmbeddedChannel third = new EmbeddedChannel();
        pool.release(ORDERS, first);
        pool.release(ORDERS, second);
        pool.release(ORDERS, third);

        assertThat(third.isOpen()).isFalse();
        assertThat(first.isOpen()).isTrue();
        assertThat(pool.idle()).isEqualTo(2);
    }

    @Test
    void skipsAndClosesConnectionsThatWentInactiveWhileWaiting() {
        EmbeddedChannel alive = new EmbeddedChannel();
        EmbeddedChannel closedByPeer = new EmbeddedChannel();
        pool.release(ORDERS, alive);
        pool.release(ORDERS, closedByPeer);
        closedByPeer.close();

        assertThat(pool.acquire(ORDERS)).isSameAs(alive);
        assertThat(pool.idle()).isZero();
    }

    @Test
    void neverKeepsAClosedConnection() {
        EmbeddedChannel closed = new EmbeddedChannel();
        closed.close();

        pool.release(ORDERS, closed);

        assertThat(pool.idle()).isZero();
        assertThat(pool.acquire(ORDERS)).isNull();
    }

    @Test
    void theSweepClosesConnectionsIdleForTheTimeoutAndKeepsTheRest() {
        EmbeddedChannel stale = new EmbeddedChannel();
        pool.release(ORDERS, stale);
        now += TIMEOUT / 2;
        EmbeddedChannel fresh = new EmbeddedChannel();
        pool.release(ORDERS, fresh);
        EmbeddedChannel otherStale = new EmbeddedChannel();
        now -= 1;
        pool.release(PAYMENTS, otherStale);

        now += TIMEOUT / 2 + 1;
        pool.closeExpired();

        assertThat(stale.isOpen()).isFalse();
        assertThat(otherStale.isOpen()).isTrue();
        assertThat(fresh.isOpen()).isTrue();
        assertThat(pool.idle()).isEqualTo(2);
        assertThat(pool.acquire(ORDERS)).isSameAs(fresh);
    }

    @Test
    void theSweepIsScheduledOnTheLoop() {
        EmbeddedChannel stale = new EmbeddedChannel();
        pool.release(ORDERS, stale);
        now += TIMEOUT;

        loop.advanceTimeBy(TIMEOUT / 2, TimeUnit.NANOSECONDS);
        loop.runScheduledPendingTasks();

        assertThat(stale.isOpen()).isFalse();
        assertThat(pool.idle()).isZero();
    }

    @Test
    void forgetsAWaitingConnectionThatWasClosed() {
        EmbeddedChannel connection = new EmbeddedChannel();
        pool.release(ORDERS, connection);

        pool.closed(ORDERS, connection);
        pool.closed(ORDERS, connection);
        pool.closed(null, connection);

        assertThat(pool.idle()).isZero();
        assertThat(pool.acquire(ORDERS)).isNull();
    }

    @Test
    void afterShutdownClosesWhatWaitsAndWhatIsReleasedLater() {
        EmbeddedChannel waiting = new EmbeddedChannel();
        pool.release(ORDERS, waiting);

        pool.shutdown();
        loop.runPendingTasks();
        EmbeddedChannel late = new EmbeddedChannel();
        pool.release(ORDERS, late);

        assertThat(waiting.isOpen()).isFalse();
        assertThat(late.isOpen()).isFalse();
        assertThat(pool.idle()).isZero();
    }

    @Test
    void keepsReleaseOrderAcrossWrapAroundGrowthAndRemovals() {
        IdleConnections<InetSocketAddress, EmbeddedChannel> large =
                new IdleConnections<>(loop.eventLoop(), Function.identity(), 64, TIMEOUT, () -> now);
        List<EmbeddedChannel> released = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            released.add(release(large));
        }
        // the newest two go back to work, then more wait than the first array holds
        assertThat(large.acquire(ORDERS)).isSameAs(released.remove(5));
        assertThat(large.acquire(ORDERS)).isSameAs(released.remove(4));
        for (int i = 0; i < 20; i++) {
            released.add(release(large));
        }
        EmbeddedChannel closedByPeer = released.remove(7);
        large.closed(ORDERS, closedByPeer);
        assertThat(large.idle()).isEqualTo(released.size());

        // the sweep takes them oldest first; those released last are handed out newest first
        now += TIMEOUT;
        EmbeddedChannel newest = release(large);
        large.closeExpired();
        assertThat(released).allMatch(channel -> !channel.isOpen());
        assertThat(large.acquire(ORDERS)).isSameAs(newest);
        assertThat(large.acquire(ORDERS)).isNull();

        // half swept from the front, refilled at the back past the end of the array: the ring wraps around
        List<EmbeddedChannel> refilled = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            refilled.add(release(large));
        }
        now += TIMEOUT - 21;
        large.closeExpired();
        List<EmbeddedChannel> kept = new ArrayList<>(refilled.subList(20, 40));
        assertThat(refilled.subList(0, 20)).allMatch(channel -> !channel.isOpen());
        for (int i = 0; i < 30; i++) {
            kept.add(release(large));
        }
        assertThat(large.idle()).isEqualTo(50);
        for (int i = kept.size() - 1; i >= 0; i--) {
            assertThat(large.acquire(ORDERS)).isSameAs(kept.get(i));
        }
        assertThat(large.idle()).isZero();
    }

    private EmbeddedChannel release(IdleConnections<InetSocketAddress, EmbeddedChannel> into) {
        EmbeddedChannel connection = new EmbeddedChannel();
        into.release(ORDERS, connection);
        now++;
        return connection;
    }

    @Test
    void rejectsANegativeShareAndANonPositiveTimeout() {
        assertThatThrownBy(() -> new IdleConnections<InetSocketAddress, EmbeddedChannel>(loop.eventLoop(), Function.identity(), -1, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIdlePerAddress");
        assertThatThrownBy(() -> new IdleConnections<InetSocketAddress, EmbeddedChannel>(loop.eventLoop(), Function.identity(), 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeoutNanos");
    }
}
