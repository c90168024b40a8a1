package dev.meshgate.proxy.pool;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cap on the connections one kind of upstream may have open, shared by the pools of every event
 * loop. Beyond it an attempt fails at once: the local app behind a node is protected from one
 * connection per incoming stream, and nothing queues.
 */
public final class ConnectionBudget {

    /** No cap. */
    public static final ConnectionBudget UNLIMITED = new ConnectionBudget(0);

    private final int limit;
    private final AtomicInteger open = new AtomicInteger();

    /** @param limit the most connections open at once; 0 for no cap */
    public ConnectionBudget(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a connection limit must be 0 (none) or more, was " + limit);
        }
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /** Takes one connection's share, or returns false when the cap is reached. */
    boolean tryAcquire() {
        if (limit == 0) {
            return true;
        }
        while (true) {
            int now = open.get();
            if (now >= limit) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (limit != 0) {
            open.decrementAndGet();
        }
    }

    int open() {
        return open.get();
    }
}
