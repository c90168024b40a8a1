package dev.meshgate.core.policy;

/**
 * Caps on a caller's requests in flight to one service, so that a slow service holds at most that
 * many of its callers' requests and never queues more: past a cap a try is refused at once with 503
 * {@code overloaded}, naming the cap. A request is in flight from its try's start to its response's
 * last byte. Off unless a service declares one; an unset cap is none.
 *
 * <p>{@code maxRequestsPerCaller} is the service's own side: its nodes cap the requests in flight
 * from each caller (source service and instance, as the caller's node names it) to their app, so one
 * runaway caller cannot starve the others.
 *
 * <pre>
 * bulkhead:
 *   max-requests: 200                # across the service's endpoints, per caller node
 *   max-requests-per-endpoint: 50    # to any one endpoint
 *   max-requests-per-caller: 20      # at each of the service's nodes, from any one caller
 * </pre>
 */
public record BulkheadPolicy(Integer maxRequests, Integer maxRequestsPerEndpoint, Integer maxRequestsPerCaller) {

    public BulkheadPolicy {
        requireAtLeastOne("bulkhead.max-requests", maxRequests);
        requireAtLeastOne("bulkhead.max-requests-per-endpoint", maxRequestsPerEndpoint);
        requireAtLeastOne("bulkhead.max-requests-per-caller", maxRequestsPerCaller);
    }

    /** Whether callers count their requests to the service: a cap of theirs is set. */
    public boolean capsCallers() {
        return maxRequests != null || maxRequestsPerEndpoint != null;
    }

    private static void requireAtLeastOne(String key, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, was " + value);
        }
    }

    /** The service-wide cap, or {@link Integer#MAX_VALUE} for none. */
    public int requestCap() {
        return maxRequests == null ? Integer.MAX_VALUE : maxRequests;
    }

    /** The cap per endpoint, or {@link Integer#MAX_VALUE} for none. */
    public int endpointCap() {
        return maxRequestsPerEndpoint == null ? Integer.MAX_VALUE : maxRequestsPerEndpoint;
    }
}
