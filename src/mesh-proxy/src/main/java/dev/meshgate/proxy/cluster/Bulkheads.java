package dev.meshgate.proxy.cluster;

import dev.meshgate.core.policy.BulkheadPolicy;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests in flight to each service and each of its endpoints, against their bulkhead's caps,
 * shared by every event loop. The counts outlive policy changes (the requests are still in flight);
 * the caps are the current policy's, read at each try. Nothing waits: a try past a cap is refused.
 */
public final class Bulkheads {

    /** Which cap refused a try. */
    public enum Cap {
        MAX_REQUESTS("max-requests"),
        MAX_REQUESTS_PER_ENDPOINT("max-requests-per-endpoint");

        private final String key;

        Cap(String key) {
            this.key = key;
        }

        /** The policy key that sets it. */
        public String key() {
            return key;
        }

        /** Its value in {@code policy}. */
        public int of(BulkheadPolicy policy) {
            return this == MAX_REQUESTS ? policy.requestCap() : policy.endpointCap();
        }
    }

    /**
     * The in-flight counts one try holds, given back once when it ends. One exchange reuses its own
     * for every try, so admitting a try allocates nothing.
     */
    public static final class Permit {
        private AtomicInteger service;
        private AtomicInteger endpoint;

        public boolean held() {
            return service != null;
        }

        public void release() {
            if (service != null) {
                service.decrementAndGet();
                endpoint.decrementAndGet();
                service = null;
                endpoint = null;
            }
        }
    }

    private static final class ServiceCounts {
        final AtomicInteger inFlight = new AtomicInteger();
        final ConcurrentHashMap<InetSocketAddress, AtomicInteger> byEndpoint = new ConcurrentHashMap<>();
    }

    private final ConcurrentHashMap<String, ServiceCounts> byService = new ConcurrentHashMap<>();

    /**
     * Admits a try to {@code endpoint} of {@code service} under {@code policy}'s caps into {@code permit}
     * (released first); null when admitted, else the cap it is over.
     */
    public Cap admit(String service, InetSocketAddress endpoint, BulkheadPolicy policy, Permit permit) {
        permit.release();
        ServiceCounts counts = byService.computeIfAbsent(service, name -> new ServiceCounts());
        if (counts.inFlight.incrementAndGet() > policy.requestCap()) {
            counts.inFlight.decrementAndGet();
            return Cap.MAX_REQUESTS;
        }
        AtomicInteger atEndpoint = counts.byEndpoint.computeIfAbsent(endpoint, address -> new AtomicInteger());
        if (atEndpoint.incrementAndGet() > policy.endpointCap()) {
            atEndpoint.decrementAndGet();
            counts.inFlight.decrementAndGet();
            return Cap.MAX_REQUESTS_PER_ENDPOINT;
        }
        permit.service = counts.inFlight;
        permit.endpoint = atEndpoint;
        return null;
    }

    /** Requests in flight to {@code service} now. */
    public int inFlight(String service) {
        ServiceCounts counts = byService.get(service);
        return counts == null ? 0 : counts.inFlight.get();
    }
}
