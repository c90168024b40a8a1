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
    }

    /** The in-flight counts one try holds, given back once when it ends. */
    public static final class Permit {
        private final AtomicInteger service;
        private final AtomicInteger endpoint;
        private boolean released;

        private Permit(AtomicInteger service, AtomicInteger endpoint) {
            this.service = service;
            this.endpoint = endpoint;
        }

        public void release() {
            if (!released) {
                released = true;
                service.decrementAndGet();
                endpoint.decrementAndGet();
            }
        }
    }

    /** A try refused by a cap, or admitted with its permit. */
    public record Admission(Permit permit, Cap refusedBy, int cap) {
    }

    private static final class ServiceCounts {
        final AtomicInteger inFlight = new AtomicInteger();
        final ConcurrentHashMap<InetSocketAddress, AtomicInteger> byEndpoint = new ConcurrentHashMap<>();
    }

    private final ConcurrentHashMap<String, ServiceCounts> byService = new ConcurrentHashMap<>();

    /** Admits a try to {@code endpoint} of {@code service} under {@code policy}'s caps, or names the cap it is over. */
    public Admission admit(String service, InetSocketAddress endpoint, BulkheadPolicy policy) {
        ServiceCounts counts = byService.computeIfAbsent(service, name -> new ServiceCounts());
        int cap = policy.requestCap();
        if (counts.inFlight.incrementAndGet() > cap) {
            counts.inFlight.decrementAndGet();
            return new Admission(null, Cap.MAX_REQUESTS, cap);
        }
        AtomicInteger atEndpoint = counts.byEndpoint.computeIfAbsent(endpoint, address -> new AtomicInteger());
        int endpointCap = policy.endpointCap();
        if (atEndpoint.incrementAndGet() > endpointCap) {
            atEndpoint.decrementAndGet();
            counts.inFlight.decrementAndGet();
            return new Admission(null, Cap.MAX_REQUESTS_PER_ENDPOINT, endpointCap);
        }
        return new Admission(new Permit(counts.inFlight, atEndpoint), null, 0);
    }

    /** Requests in flight to {@code service} now. */
    public int inFlight(String service) {
        ServiceCounts counts = byService.get(service);
        return counts == null ? 0 : counts.inFlight.get();
    }
}
