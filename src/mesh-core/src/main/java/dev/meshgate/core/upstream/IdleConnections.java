package dev.meshgate.core.upstream;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
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
 * @param <C> the data plane's connection handler; {@code channelOf} gives its channel
 */
public final class IdleConnections<C> {

    private final Function<? super C, Channel> channelOf;
    private final int maxIdlePerAddress;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoClock;
    private final EventLoop loop;
    private final Map<InetSocketAddress, ArrayDeque<Waiting<C>>> byAddress = new HashMap<>();
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
    public C acquire(InetSocketAddress address) {
        ArrayDeque<Waiting<C>> waiting = byAddress.get(address);
        if (waiting == null) {
            return null;
        }
        Waiting<C> candidate;
        while ((candidate = waiting.pollLast()) != null) {
            idle--;
            Channel channel = channelOf.apply(candidate.connection);
            if (channel.isActive()) {
                return candidate.connection;
            }
            channel.close();
        }
        return null;
    }

    /**
     * Keeps {@code connection} for the next exchange to {@code address}; closes it instead when it is no
     * longer open, when {@code address} already has its share waiting, or once the pool is shut down.
     */
    public void release(InetSocketAddress address, C connection) {
        Channel channel = channelOf.apply(connection);
        if (!channel.isActive() || shutDown || maxIdlePerAddress == 0) {
            channel.close();
            return;
        }
        ArrayDeque<Waiting<C>> waiting = byAddress.computeIfAbsent(address, key -> new ArrayDeque<>());
        if (waiting.size() >= maxIdlePerAddress) {
            channel.close();
            return;
        }
        waiting.addLast(new Waiting<>(connection, nanoClock.getAsLong()));
        idle++;
    }

    /** Forgets {@code connection} if it was waiting: it has been closed. */
    public void closed(InetSocketAddress address, C connection) {
        ArrayDeque<Waiting<C>> waiting = address == null ? null : byAddress.get(address);
        if (waiting != null && waiting.removeIf(candidate -> candidate.connection == connection)) {
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
        for (ArrayDeque<Waiting<C>> waiting : byAddress.values()) {
            Waiting<C> candidate;
            while ((candidate = waiting.pollFirst()) != null) {
                idle--;
                channelOf.apply(candidate.connection).close();
            }
        }
        byAddress.clear();
    }

    /** Closes the connections idle for at least the idle timeout (the oldest wait at the front). */
    void closeExpired() {
        long now = nanoClock.getAsLong();
        for (Iterator<ArrayDeque<Waiting<C>>> it = byAddress.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Waiting<C>> waiting = it.next();
            Waiting<C> oldest;
            while ((oldest = waiting.peekFirst()) != null && now - oldest.sinceNanos >= idleTimeoutNanos) {
                waiting.pollFirst();
                idle--;
                channelOf.apply(oldest.connection).close();
            }
            if (waiting.isEmpty()) {
                it.remove();
            }
        }
    }

    private record Waiting<C>(C connection, long sinceNanos) {
    }
}
