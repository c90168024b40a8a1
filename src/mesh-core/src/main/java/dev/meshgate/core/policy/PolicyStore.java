package dev.meshgate.core.policy;

import java.util.Objects;

/**
 * The current policy snapshot. An exchange reads it once, at its start, and keeps that snapshot to
 * its end, so replacing it never changes a request in flight.
 */
public final class PolicyStore {

    private volatile MeshPolicy current;

    public PolicyStore(MeshPolicy initial) {
        this.current = Objects.requireNonNull(initial, "initial policy");
    }

    public MeshPolicy current() {
        return current;
    }

    /** Makes {@code next} the snapshot every exchange started from now on takes. */
    public void replace(MeshPolicy next) {
        current = Objects.requireNonNull(next, "policy");
    }
}
