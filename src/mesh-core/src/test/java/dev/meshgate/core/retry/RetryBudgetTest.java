package dev.meshgate.core.retry;

import dev.meshgate.core.policy.RetryBudgetPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry budget on a virtual clock: a ratio of the window's requests, plus a minimum a second. */
class RetryBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(-7 * SECOND);

    private RetryBudget budget(double ratio, int minPerSecond, Duration window) {
        return new RetryBudget(new RetryBudgetPolicy(ratio, minPerSecond, window), now::get);
    }

    private static int withdrawAll(RetryBudget budget) {
        int taken = 0;
        while (budget.tryWithdraw()) {
            taken++;
        }
        return taken;
    }

    @Test
    void retriesAreARatioOfTheRequestsPlusTheMinimumOverTheWindow() {
        RetryBudget budget = budget(0.2, 1, Duration.ofSeconds(10));
        for (int i = 0; i < 100; i++) {
            budget.deposit();
        }

        assertThat(withdrawAll(budget)).as("20% of 100 requests, plus 1 a second for 10 s").isEqualTo(30);
        assertThat(budget.tryWithdraw()).isFalse();
    }

    @Test
    void withNoRequestsOnlyTheMinimumIsAllowed() {
        RetryBudget budget = budget(0.2, 2, Duration.ofSeconds(5));

        assertThat(withdrawAll(budget)).isEqualTo(10);
    }

    @Test
    void requestsAndRetriesOlderThanTheWindowNoLongerCount() {
        RetryBudget budget = budget(0.5, 0, Duration.ofSeconds(10));
        for (int i = 0; i < 20; i++) {
            budget.deposit();
        }
        assertThat(withdrawAll(budget)).isEqualTo(10);

        now.addAndGet(5 * SECOND);
        for (int i = 0; i < 10; i++) {
            budget.deposit();
        }
        assertThat(withdrawAll(budget)).as("30 requests and 10 retries in the window").isEqualTo(5);

        now.addAndGet(6 * SECOND);
        assertThat(withdrawAll(budget)).as("the first 20 requests and 10 retries have left the window").isZero();
        budget.deposit();
        budget.deposit();
        assertThat(withdrawAll(budget)).as("12 requests and 5 retries in the window").isEqualTo(1);

        now.addAndGet(60 * SECOND);
        assertThat(withdrawAll(budget)).as("an idle minute empties the window").isZero();
    }

    @Test
    void aZeroRatioAndZeroMinimumAllowsNoRetry() {
        RetryBudget budget = budget(0, 0, Duration.ofSeconds(1));
        budget.deposit();

        assertThat(budget.tryWithdraw()).isFalse();
    }

    @Test
    void eachServiceHasItsOwnBudgetAndAChangedPolicyStartsAFreshOne() {
        RetryBudgets budgets = new RetryBudgets(now::get);
        RetryBudgetPolicy tight = new RetryBudgetPolicy(0.0, 1, Duration.ofSeconds(1));
        RetryBudget search = budgets.forService("search", tight);

        assertThat(search.tryWithdraw()).isTrue();
        assertThat(search.tryWithdraw()).isFalse();
        assertThat(budgets.forService("search", new RetryBudgetPolicy(0.0, 1, Duration.ofSeconds(1)))).isSameAs(search);
        assertThat(budgets.forService("calc", tight).tryWithdraw()).isTrue();
        assertThat(budgets.forService("search", new RetryBudgetPolicy(0.0, 2, Duration.ofSeconds(1))).tryWithdraw()).isTrue();
    }

    @Test
    void badValuesAreRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> new RetryBudgetPolicy(1.5, null, null))
                .hasMessage("retry-budget.ratio must be between 0 and 1, was 1.5");
        assertThatThrownBy(() -> new RetryBudgetPolicy(null, -1, null))
                .hasMessage("retry-budget.min-per-second must not be negative, was -1");
        assertThatThrownBy(() -> new RetryBudgetPolicy(null, null, Duration.ofMillis(100)))
                .hasMessage("retry-budget.window must be between 1s and 60s, was PT0.1S");
    }
}
