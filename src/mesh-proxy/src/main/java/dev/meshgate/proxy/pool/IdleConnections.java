package dev.meshgate.proxy.pool;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The keep-alive upstream connections of one event loop that wait for their next exchange, by
 * upstream address: the pooling both data planes share (the gateway's fast path and mesh-node). Only
 * that loop touches it, so it needs no locks. The most recently used connection is handed out first
 * (the least likely to have been closed by the peer's own idle timeout); at most
 * {@code maxIdlePerAddress} wait per address, and a periodic sweep closes those idle longer than the
 * idle timeout, so connections to instances that went away do not stay open for ever.
 *
 * @param <K> the pool key: an address, and what else tells connections apart
 * @param <C> the data plane's connection handler; {@code channelOf} gives its channel
 */
public final class IdleConnections<K, C> {

    private final Function<? super C, Channel> channelOf;
    private final int maxIdlePerAddress;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoClock;
    private final EventLoop loop;
    private final Map<K, Waiting<C>> byAddress = new HashMap<>();
    private final ScheduledFuture<?> sweeper;
    // written by the loop only, read by metrics gauges from any thread
    private volatile int idle;
    private boolean shutDown;

    /** Pools on {@code loop}, sweeping every half idle timeout (at least every 10 ms). */
    public IdleConnections(EventLoop loop, Function<? super C, Channel> channelOf, int maxIdlePerAddress,
            long idleTimeoutNanos) {
        this(loop, channelOf, maxIdlePerAddress, idleTimeoutNanos, System::nanoTime);
    }

    IdleConnections(EventLoop loop, Function<? super C, Channel> channelOf, int maxIdlePerAddress, long idleTimeoutNanos,
            LongSupplier nanoClock) {
        if (maxIdlePerAddress < 0) {
            throw new IllegalArgumentException("maxIdlePerAddress must not be negative, was " + maxIdlePerAddress);
        }
        if (idleTimeoutNanos <= 0) {
            throw new IllegalArgumentException("idleTimeoutNanos must be positive, was " + idleTimeoutNanos);
        }
        this.loop = loop;
        this.channelOf = channelOf;
        this.maxIdlePerAddress = maxIdlePerAddress;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.nanoClock = nanoClock;
        long period = Math.max(idleTimeoutNanos / 2, TimeUnit.MILLISECONDS.toNanos(10));
        this.sweeper = loop.scheduleAtFixedRate(this::closeExpired, period, period, TimeUnit.NANOSECONDS);
    }

    /** The most recently released connection to {@code address} that is still open, or null. */
    public C acquire(K address) {
        Waiting<C> waiting = byAddress.get(address);
        if (waiting == null) {
            return null;
        }
        C candidate;
        while ((candidate = waiting.pollNewest()) != null) {
            idle--;
            Channel channel = channelOf.apply(candidate);
            if (channel.isActive()) {
                return candidate;
            }
            channel.close();
        }
        return null;
    }

    /**
     * Keeps {@code connection} for the next exchange to {@code address}; closes it instead when it is no
     * longer open, when {@code address} already has its share waiting, or once the pool is shut down.
     */
    public void release(K address, C connection) {
        Channel channel = channelOf.apply(connection);
        if (!channel.isActive() || shutDown || maxIdlePerAddress == 0) {
            channel.close();
            return;
        }
        Waiting<C> waiting = byAddress.get(address);
        if (waiting == null) {
            waiting = new Waiting<>(maxIdlePerAddress);
            byAddress.put(address, waiting);
        }
        if (waiting.size() >= maxIdlePerAddress) {
            channel.close();
            return;
        }
        waiting.add(connection, nanoClock.getAsLong());
        idle++;
    }

    /** Forgets {@code connection} if it was waiting: it has been closed. */
    public void closed(K address, C connection) {
        Waiting<C> waiting = address == null ? null : byAddress.get(address);
        if (waiting != null && waiting.remove(connection)) {
            idle--;
        }
    }

    /** How many connections wait, on this loop. */
    public int idle() {
        return idle;
    }

    /** Stops pooling: waiting connections are closed, and those released later too. */
    public void shutdown() {
        if (loop.inEventLoop()) {
            closeAll();
        } else if (!loop.isShuttingDown()) {
            loop.execute(this::closeAll);
        }
    }

    private void closeAll() {
        shutDown = true;
        sweeper.cancel(false);
        for (Waiting<C> waiting : byAddress.values()) {
            C candidate;
            while ((candidate = waiting.pollOldest()) != null) {
                idle--;
                channelOf.apply(candidate).close();
            }
        }
        byAddress.clear();
    }

    /** Closes the connections idle for at least the idle timeout (the oldest wait at the front). */
    void closeExpired() {
        long now = nanoClock.getAsLong();
        for (Iterator<Waiting<C>> it = byAddress.values().iterator(); it.hasNext(); ) {
            Waiting<C> waiting = it.next();
            while (waiting.size() > 0 && now - waiting.oldestSinceNanos() >= idleTimeoutNanos) {
                idle--;
                channelOf.apply(waiting.pollOldest()).close();
            }
            if (waiting.size() == 0) {
                it.remove();
            }
        }
    }

    /**
     * The connections waiting for one address with the time each was released, oldest first: a ring of
     * two parallel arrays, so that releasing a connection after every exchange allocates nothing.
     */
    private static final class Waiting<C> {

        private Object[] connections;
        private long[] sinceNanos;
        private int oldest;
        private int size;

        Waiting(int capacityLimit) {
            int initial = Math.max(1, Math.min(capacityLimit, 8));
            connections = new Object[initial];
            sinceNanos = new long[initial];
        }

        int size() {
            return size;
        }

        void add(C connection, long now) {
            if (size == connections.length) {
                grow();
            }
            int at = (oldest + size) % connections.length;
            connections[at] = connection;
            sinceNanos[at] = now;
            size++;
        }

        C pollNewest() {
            if (size == 0) {
                return null;
            }
            size--;
            return take((oldest + size) % connections.length);
        }

        C pollOldest() {
            if (size == 0) {
                return null;
            }
            C connection = take(oldest);
            oldest = (oldest + 1) % connections.length;
            size--;
            return connection;
        }

        long oldestSinceNanos() {
            return sinceNanos[oldest];
        }

        /** Removes {@code connection} (by identity) keeping the order of the rest. */
        boolean remove(C connection) {
            for (int i = 0; i < size; i++) {
                if (connections[(oldest + i) % connections.length] == connection) {
                    for (int j = i; j < size - 1; j++) {
                        int to = (oldest + j) % connections.length;
                        int from = (oldest + j + 1) % connections.length;
                        connections[to] = connections[from];
                        sinceNanos[to] = sinceNanos[from];
                    }
                    size--;
                    connections[(oldest + size) % connections.length] = null;
                    return true;
                }
            }
            return false;
        }

        @SuppressWarnings("unchecked")
        private C take(int at) {
            C connection = (C) connections[at];
            connections[at] = null;
            return connection;
        }

        private void grow() {
            Object[] moreConnections = new Object[connections.length * 2];
            long[] moreSince = new long[connections.length * 2];
            for (int i = 0; i < size; i++) {
                moreConnections[i] = connections[(oldest + i) % connections.length];
                moreSince[i] = sinceNanos[(oldest + i) % connections.length];
            }
            connections = moreConnections;
            sinceNanos = moreSince;
            oldest = 0;
        }
    }
}
