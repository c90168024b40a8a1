package dev.meshgate.proxy;

import java.time.Duration;

/**
 * The engine's protocol limits and timeouts, shared by its listeners and pools. The data planes
 * bind and validate their own configuration keys, then hand the values over as this.
 *
 * @param requestHeadTimeout          how long a client may take to send a request's head, from its
 *                                    first byte (the slow-header defence; nginx's {@code client_header_timeout})
 * @param maxPendingStreams           exchanges that may wait for a stream of one HTTP/2 link at once
 */
public record EngineSettings(
        Duration connectTimeout,
        Duration idleTimeout,
        Duration requestHeadTimeout,
        int maxInitialLineLength,
        int maxHeaderSize,
        int maxIdleConnectionsPerEndpoint,
        int maxPendingStreams) {

    /** Body slices the decoders hand out at most: large enough that a 64 KB read is one message. */
    public static final int MAX_CHUNK_SIZE = 64 * 1024;

    public EngineSettings {
        requirePositive("connect timeout", connectTimeout);
        requirePositive("idle timeout", idleTimeout);
        requirePositive("request head timeout", requestHeadTimeout);
        if (maxInitialLineLength < 1 || maxHeaderSize < 1 || maxIdleConnectionsPerEndpoint < 0 || maxPendingStreams < 0) {
            throw new IllegalArgumentException("engine limits must be positive: line " + maxInitialLineLength
                    + ", header " + maxHeaderSize + ", idle per endpoint " + maxIdleConnectionsPerEndpoint
                    + ", pending streams " + maxPendingStreams);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
