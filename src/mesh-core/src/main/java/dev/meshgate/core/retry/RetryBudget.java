package dev.meshgate.core.retry;

import dev.meshgate.core.policy.RetryBudgetPolicy;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The retries one caller has sent one service and the requests they were allowed by, over the
 * policy's sliding window: ten slots, each a tenth of the window, the oldest overwritten as time
 * moves on. Every event loop of the process shares it; its counts are atomic, and a slot's reset may
 * lose a count made at the same instant, which a budget can afford.
 */
public final class RetryBudget {

    private static final int SLOTS = 10;
    private static final long NEVER = Long.MIN_VALUE;

    private final RetryBudgetPolicy policy;
    private final LongSupplier nanoClock;
    private final long slotNanos;
    private final AtomicLongArray epochs = new AtomicLongArray(SLOTS);
    private final AtomicLongArray requests = new AtomicLongArray(SLOTS);
    private final AtomicLongArray retries = new AtomicLongArray(SLOTS);

    public RetryBudget(RetryBudgetPolicy policy) {
        this(policy, System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds: a virtual one in tests */
    public RetryBudget(RetryBudgetPolicy policy, LongSupplier nanoClock) {
        this.policy = policy;
        this.nanoClock = nanoClock;
        this.slotNanos = Math.max(1, policy.window().toNanos() / SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            epochs.set(i, NEVER);
        }
    }

    public RetryBudgetPolicy policy() {
        return policy;
    }

    /** A request that may be retried was sent. */
    public void deposit() {
        requests.incrementAndGet(current(Math.floorDiv(nanoClock.getAsLong(), slotNanos)));
    }

    /** Takes one retry from the budget; false when the window has none left, and nothing is taken. */
    public boolean tryWithdraw() {
        long epoch = Math.floorDiv(nanoClock.getAsLong(), slotNanos);
        int slot = current(epoch);
        long sentRequests = 0;
        long sentRetries = 0;
        for (int i = 0; i < SLOTS; i++) {
            long age = epoch - epochs.get(i);
            if (age >= 0 && age < SLOTS) {
                sentRequests += requests.get(i);
                sentRetries += retries.get(i);
            }
        }
        if (sentRetries + 1 > policy.allowed(sentRequests)) {
            return false;
        }
        retries.incrementAndGet(slot);
        return true;
    }

    /** The slot of {@code epoch}, emptied first when it last counted an older one. */
    private int current(long epoch) {
        int slot = (int) Math.floorMod(epoch, SLOTS);
        long seen = epochs.get(slot);
        if (seen != epoch && epochs.compareAndSet(slot, seen, epoch)) {
            requests.set(slot, 0);
            retries.set(slot, 0);
        }
        return slot;
    }
}
