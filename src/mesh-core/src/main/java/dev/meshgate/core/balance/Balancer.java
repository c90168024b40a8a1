package dev.meshgate.core.balance;

import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;

/**
 * Chooses the endpoint of a cluster that gets the next request. Discovery supplies the endpoints,
 * a balancer supplies the choice: so a policy can change the algorithm without touching discovery,
 * and a refreshed snapshot does not reset the balancer's state.
 */
public interface Balancer {

    /**
     * One ready endpoint of the set; null when the set has none (empty, or every endpoint not
     * ready). Called on the hot path from any event loop: must not block.
     */
    Endpoint pick(EndpointSet endpoints);
}
