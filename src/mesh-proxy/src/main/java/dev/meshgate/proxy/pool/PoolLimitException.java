package dev.meshgate.proxy.pool;

/**
 * A bound of the pools was reached (connections to an endpoint, exchanges waiting for a stream):
 * the attempt fails at once instead of queueing without limit.
 */
public final class PoolLimitException extends Exception {

    private final int limit;

    public PoolLimitException(String message, int limit) {
        super(message, null, false, false);
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
