package dev.meshgate.core.balance;

import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;

import java.net.InetSocketAddress;

/**
 * A balancer that steps over the endpoints its {@link OutlierDetector} has ejected, and for a retry
 * the endpoint the failed try went to. When every endpoint it tries is out (the detector's cap makes
 * that rare), it panics as Envoy does: the pick stands, since a service with no endpoint at all in
 * rotation would fail every request.
 */
public final class EjectingBalancer implements Balancer {

    private final Balancer balancer;
    private final OutlierDetector outliers;

    public EjectingBalancer(Balancer balancer, OutlierDetector outliers) {
        this.balancer = balancer;
        this.outliers = outliers;
    }

    @Override
    public Endpoint pick(EndpointSet endpoints) {
        return pick(endpoints, null);
    }

    /** As {@link #pick(EndpointSet)}, stepping over {@code avoid} too (null: none) unless it is the only one left. */
    public Endpoint pick(EndpointSet endpoints, InetSocketAddress avoid) {
        Endpoint endpoint = balancer.pick(endpoints);
        for (int tried = 1; endpoint != null && tried < endpoints.size()
                && (outliers.ejected(endpoint) || is(endpoint, avoid)); tried++) {
            endpoint = balancer.pick(endpoints);
        }
        return endpoint;
    }

    private static boolean is(Endpoint endpoint, InetSocketAddress address) {
        return address != null && endpoint.port() == address.getPort() && endpoint.host().equals(address.getHostString());
    }

    public OutlierDetector outliers() {
        return outliers;
    }
}
