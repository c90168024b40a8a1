package dev.meshgate.proxy.cluster;

import dev.meshgate.core.retry.RetryBudgets;

/**
 * What one data plane keeps about each cluster it calls, shared by all its listeners and event
 * loops: the retry budgets its retries draw on, and the circuit breakers and bulkheads its tries ask first. Policy
 * says how they behave; this is their running state, which outlives any one policy snapshot.
 */
public final class ClusterState {

    private final RetryBudgets retryBudgets;
    private final CircuitBreakers circuitBreakers;
    private final Bulkheads bulkheads = new Bulkheads();
    private final CallerCaps callerCaps = new CallerCaps();

    public ClusterState(RetryBudgets retryBudgets, CircuitBreakers circuitBreakers) {
        this.retryBudgets = retryBudgets;
        this.circuitBreakers = circuitBreakers;
    }

    public Bulkheads bulkheads() {
        return bulkheads;
    }

    /** The inbound side's caps per caller, for the service this data plane fronts. */
    public CallerCaps callerCaps() {
        return callerCaps;
    }

    public RetryBudgets retryBudgets() {
        return retryBudgets;
    }

    public CircuitBreakers circuitBreakers() {
        return circuitBreakers;
    }
}
