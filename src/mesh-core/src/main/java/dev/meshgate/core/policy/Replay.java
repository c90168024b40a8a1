package dev.meshgate.core.policy;

/**
 * Which requests a proxy may send again on its own, without a retry policy saying so: the same rule
 * as Go's HTTP client. GET, HEAD, OPTIONS and TRACE are safe (RFC 9110 §9.2.1), and so is any request
 * carrying an {@code Idempotency-Key}. PUT and DELETE are idempotent in the RFC's sense, but their
 * effect may already have happened and a second one can meet a different state (a 404 for a DELETE
 * that succeeded), so they are not sent again blindly.
 */
public final class Replay {

    public static final String IDEMPOTENCY_KEY = "idempotency-key";

    private Replay() {
    }

    public static boolean replayable(String method, boolean hasIdempotencyKey) {
        return hasIdempotencyKey || switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }
}
