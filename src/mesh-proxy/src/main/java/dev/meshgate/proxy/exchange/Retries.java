package dev.meshgate.proxy.exchange;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.core.retry.RetryBudget;
import dev.meshgate.core.retry.RetryBudgets;

import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The retry stage's state for one exchange: the tries made so far under the route's
 * {@link dev.meshgate.core.policy.RetryPolicy}, the service's retry budget they draw on, and the
 * endpoint the last failed try went to, which the router steps over for the next one. Reused by a
 * connection's successive exchanges.
 */
final class Retries {

    /** The response header that tells the client how many tries its request took, when more than one. */
    static final String ATTEMPTS_HEADER = "x-mesh-attempts";

    private final RetryBudgets budgets;
    private final ExchangeRecorder recorder;
    private int tries;
    private InetSocketAddress failed;
    private RetryBudget budget;

    Retries(RetryBudgets budgets, ExchangeRecorder recorder) {
        this.budgets = budgets;
        this.recorder = recorder;
    }

    void reset() {
        tries = 0;
        failed = null;
        budget = null;
    }

    /** A try starts; the first of a request that may be retried counts in its service's budget. */
    void tried(MeshPolicy policy, RoutePolicy route, Destination to) {
        if (tries++ == 0 && to.service() != null && route.retries() != null && route.retries().attempts() > 1) {
            budget = budgets.forService(to.service(), policy.service(to.service()).retryBudget());
            budget.deposit();
        }
    }

    int tries() {
        return tries;
    }

    /**
     * Whether {@code route} takes another try after {@code failure} of the one that went to {@code at},
     * within its service's budget; counts the retry, or the budget's refusal.
     */
    boolean again(RoutePolicy route, RetryOn failure, Destination at) {
        if (!allowed(route, failure, at)) {
            return false;
        }
        if (budget != null && !budget.tryWithdraw()) {
            recorder.retryBudgetExhausted(at.service());
            return false;
        }
        failed = at.address();
        recorder.retried(failure);
        return true;
    }

    /**
     * Whether the same try goes once more to the same endpoint on a fresh connection (a stale pooled
     * one closed under it): a fault of the pool, not of the service, so it spends no budget.
     */
    boolean resend(RoutePolicy route, RetryOn failure, Destination at) {
        if (!allowed(route, failure, at)) {
            return false;
        }
        recorder.retried(failure);
        return true;
    }

    private boolean allowed(RoutePolicy route, RetryOn failure, Destination at) {
        return route != null && route.retries() != null && at != null && route.retries().allows(failure, tries);
    }

    /**
     * The retry condition an answer with {@code status} (4xx or 5xx) meets under {@code route}'s policy:
     * a status the policy lists, a gateway error (502, 503, 504), or null for none.
     */
    static RetryOn onStatus(RoutePolicy route, int status) {
        if (route != null && route.retries() != null && route.retries().retriesStatus(status)) {
            return RetryOn.RETRIABLE_STATUS_CODES;
        }
        return status >= 502 && status <= 504 ? RetryOn.GATEWAY_ERROR : null;
    }

    /** The wait before the next try: the route's backoff with full jitter. */
    long backoffNanos(RoutePolicy route) {
        return route.retries().backoff().delayNanos(tries, ThreadLocalRandom.current().nextDouble());
    }

    /** The endpoint of the last failed try, or null before any failed. */
    InetSocketAddress failed() {
        return failed;
    }
}
