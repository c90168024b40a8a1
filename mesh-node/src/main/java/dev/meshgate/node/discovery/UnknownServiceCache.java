package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.EndpointSet;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The negative cache: service names a lookup found unknown to the registry (or without UP
 * instances), each answered with an empty {@link EndpointSet} for a while, so a caller that keeps
 * asking for such a name gets "no endpoints" without a registry call per request. Bounded in age
 * (a TTL) and in size (the least recently inserted name goes first), so requests for random names
 * cannot grow a node's memory; kept apart from the snapshot, so they cost no snapshot copy either.
 *
 * <p>Reads are lock-free, for the hot path; writes (one per lookup answered "unknown") take a lock.
 */
final class UnknownServiceCache {

    /** Compared by identity (not a record): two entries for one name are never the same entry. */
    private static final class Entry {
        final String name;
        final EndpointSet empty;
        final long expiresAt;

        Entry(String name, long expiresAt) {
            this.name = name;
            this.empty = EndpointSet.empty(name);
            this.expiresAt = expiresAt;
        }
    }

    private final long ttlNanos;
    private final int capacity;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /**
     * Guarded by itself. Entries in insertion order; every entry lives equally long, so the oldest
     * expire first. An entry replaced by a newer one for the same name stays until its turn comes,
     * removing nothing then: at most {@code capacity} entries either way.
     */
    private final ArrayDeque<Entry> insertionOrder = new ArrayDeque<>();

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}; a controllable one in tests) */
    UnknownServiceCache(Duration ttl, int capacity, LongSupplier nanoTime) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("unknown service TTL must be positive, was " + ttl);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("unknown service capacity must be at least 1, was " + capacity);
        }
        this.ttlNanos = ttl.toNanos();
        this.capacity = capacity;
        this.nanoTime = nanoTime;
    }

    /** The empty set remembered for {@code name}; null when it is not remembered or its time is up. */
    EndpointSet get(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            return null;
        }
        if (nanoTime.getAsLong() - entry.expiresAt >= 0) {
            entries.remove(name, entry);
            return null;
        }
        return entry.empty;
    }

    /** Remembers that nobody serves {@code name}, for the TTL from now; returns the empty set it answers with. */
    EndpointSet put(String name) {
        synchronized (insertionOrder) {
            long now = nanoTime.getAsLong();
            Entry oldest;
            while ((oldest = insertionOrder.peekFirst()) != null && now - oldest.expiresAt >= 0) {
                forget(insertionOrder.pollFirst());
            }
            Entry entry = new Entry(name, now + ttlNanos);
            entries.put(name, entry);
            insertionOrder.addLast(entry);
            while (insertionOrder.size() > capacity) {
                forget(insertionOrder.pollFirst());
            }
            return entry.empty;
        }
    }

    /** The registry knows {@code name} now: forgets that it did not. */
    void remove(String name) {
        entries.remove(name);
    }

    /** How many names are remembered, expired ones not yet dropped included. */
    int size() {
        return entries.size();
    }

    private void forget(Entry entry) {
        // only this entry: a newer one for the same name stays
        entries.remove(entry.name, entry);
    }
}
