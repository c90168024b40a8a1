package dev.meshgate.core.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Round-robin over an immutable list of choices. Safe to share between threads; one atomic
 * increment per pick, no allocation.
 */
public final class RoundRobin<T> {

    private final List<T> choices;
    private final AtomicInteger next;

    public RoundRobin(List<T> choices) {
        this(choices, 0);
    }

    /** Starts at {@code start}, so many pickers over the same list do not all begin with the first. */
    public RoundRobin(List<T> choices, int start) {
        this.choices = List.copyOf(choices);
        this.next = new AtomicInteger(start);
    }

    /** The next choice, or null when there is none. */
    public T next() {
        int size = choices.size();
        if (size == 0) {
            return null;
        }
        return choices.get(Math.floorMod(next.getAndIncrement(), size));
    }

    public List<T> choices() {
        return choices;
    }

    public boolean isEmpty() {
        return choices.isEmpty();
    }
}
