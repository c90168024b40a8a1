package dev.meshgate.proxy.exchange;

import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.core.policy.RoutePolicy;

import java.net.InetSocketAddress;

/**
 * The retry stage's state for one exchange: the tries made so far under the route's
 * {@link dev.meshgate.core.policy.RetryPolicy}, and the endpoint the last failed try went to, which
 * the router steps over for the next one. Reused by a connection's successive exchanges.
 */
final class Retries {

    /** The response header that tells the client how many tries its request took, when more than one. */
    static final String ATTEMPTS_HEADER = "x-mesh-attempts";

    private int tries;
    private InetSocketAddress failed;

    void reset() {
        tries = 0;
        failed = null;
    }

    /** A try starts. */
    void tried() {
        tries++;
    }

    int tries() {
        return tries;
    }

    /** Whether {@code route} takes another try after {@code failure} of the one that went to {@code at}. */
    boolean again(RoutePolicy route, RetryOn failure, Destination at) {
        if (route == null || route.retries() == null || at == null || !route.retries().allows(failure, tries)) {
            return false;
        }
        failed = at.address();
        return true;
    }

    /** The endpoint of the last failed try, or null before any failed. */
    InetSocketAddress failed() {
        return failed;
    }
}
