package dev.meshgate.core.balance;

import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Round-robin over the ready endpoints of each service. The position is kept per service name, not
 * per {@link EndpointSet}, so the rotation carries on when a refresh replaces the set. Safe to share
 * between threads; a pick is a map read and one atomic increment per endpoint tried, no allocation.
 *
 * <p>A not-ready endpoint is skipped by moving the position on, so the ready ones share the traffic
 * evenly rather than the one after a not-ready endpoint taking its turn too.
 *
 * <p>Only a service whose set has endpoints gets a position: one small counter per real service,
 * however many names callers ask for.
 */
public final class RoundRobinBalancer implements Balancer {

    private final ConcurrentHashMap<String, AtomicInteger> positions = new ConcurrentHashMap<>();
    private final ToIntFunction<String> firstPosition;

    /**
     * Each service starts at a random endpoint, so the nodes of one caller do not all send their
     * first requests to the same endpoint.
     */
    public RoundRobinBalancer() {
        this(service -> ThreadLocalRandom.current().nextInt());
    }

    /** Positions start where {@code firstPosition} says; any int, taken modulo the set's size. */
    RoundRobinBalancer(ToIntFunction<String> firstPosition) {
        this.firstPosition = firstPosition;
    }

    /** Every service starts at its first endpoint: for tests and reproducible runs. */
    public static RoundRobinBalancer startingAtFirst() {
        return new RoundRobinBalancer(service -> 0);
    }

    @Override
    public Endpoint pick(EndpointSet endpoints) {
        int size = endpoints.size();
        if (size == 0) {
            return null;
        }
        AtomicInteger position = positions.get(endpoints.service());
        if (position == null) {
            position = positions.computeIfAbsent(endpoints.service(), service -> new AtomicInteger(firstPosition.applyAsInt(service)));
        }
        for (int tried = 0; tried < size; tried++) {
            // floorMod: the counter wraps to negative after Integer.MAX_VALUE picks
            Endpoint endpoint = endpoints.get(Math.floorMod(position.getAndIncrement(), size));
            if (endpoint.ready()) {
                return endpoint;
            }
        }
        return null;
    }

    /** How many services have a position. */
    int services() {
        return positions.size();
    }
}
