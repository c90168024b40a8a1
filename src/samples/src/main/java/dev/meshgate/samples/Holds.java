package dev.meshgate.samples;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Named gates a streamed response waits on until a test opens them: {@code /stream?hold=x} waits,
 * {@code /release?hold=x} opens. Opening before anyone waits is remembered, so the order of the two
 * requests does not matter.
 */
final class Holds {

    /** Bounds the memory a client can make us hold with made-up ids. */
    static final int MAX_HOLDS = 10_000;

    private final ConcurrentMap<String, Sinks.Empty<Void>> gates = new ConcurrentHashMap<>();

    /** Completes when the hold is released; null when too many holds are open. */
    Mono<Void> awaitRelease(String id) {
        Sinks.Empty<Void> gate = gate(id);
        return gate == null ? null : gate.asMono();
    }

    /** Opens the hold; returns false when too many holds are open to remember one more. */
    boolean release(String id) {
        Sinks.Empty<Void> gate = gate(id);
        if (gate == null) {
            return false;
        }
        gate.tryEmitEmpty();
        return true;
    }

    boolean isWaiting(String id) {
        Sinks.Empty<Void> gate = gates.get(id);
        return gate != null && gate.currentSubscriberCount() > 0;
    }

    void forget(String id) {
        gates.remove(id);
    }

    private Sinks.Empty<Void> gate(String id) {
        Sinks.Empty<Void> existing = gates.get(id);
        if (existing != null) {
            return existing;
        }
        if (gates.size() >= MAX_HOLDS) {
            return null;
        }
        return gates.computeIfAbsent(id, key -> Sinks.empty());
    }
}
