package dev.meshgate.core.balance;

import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;

/**
 * A balancer that steps over the endpoints its {@link OutlierDetector} has ejected. When every
 * endpoint it tries is out (the detector's cap makes that rare), it panics as Envoy does: the pick
 * stands, since a service with no endpoint at all in rotation would fail every request.
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
        Endpoint endpoint = balancer.pick(endpoints);
        for (int tried = 1; endpoint != null && tried < endpoints.size() && outliers.ejected(endpoint); tried++) {
            endpoint = balancer.pick(endpoints);
        }
        return endpoint;
    }

    public OutlierDetector outliers() {
        return outliers;
    }
}
