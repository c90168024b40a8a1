package dev.meshgate.core.retry;

import dev.meshgate.core.policy.RetryBudgetPolicy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One data plane's retry budgets, one per service it calls, shared by all its event loops. A
 * service whose budget policy changes starts a fresh window under the new one.
 */
public final class RetryBudgets {

    private final ConcurrentHashMap<String, RetryBudget> byService = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public RetryBudgets() {
        this(System::nanoTime);
    }

    public RetryBudgets(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** The budget of retries to {@code service} under {@code policy}. */
    public RetryBudget forService(String service, RetryBudgetPolicy policy) {
        RetryBudget budget = byService.get(service);
        if (budget != null && (budget.policy() == policy || budget.policy().equals(policy))) {
            return budget;
        }
        RetryBudget fresh = new RetryBudget(policy, nanoClock);
        byService.put(service, fresh);
        return fresh;
    }
}
