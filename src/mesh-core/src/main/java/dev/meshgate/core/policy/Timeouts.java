package dev.meshgate.core.policy;

import java.time.Duration;

/** Checks shared by the policy records: a message that names the key and the value. */
final class Timeouts {

    private Timeouts() {
    }

    static void requirePositiveOrNull(String key, Duration value) {
        if (value != null && (value.isZero() || value.isNegative())) {
            throw new IllegalArgumentException(key + " must be a positive duration, was " + value);
        }
    }
}
