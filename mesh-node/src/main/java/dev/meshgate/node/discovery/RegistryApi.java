package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * The registry operations a mesh-node needs, as cold {@link Mono}s: nothing happens until
 * subscribed, and each subscription is one request. Errors mean the registry could not be reached
 * or answered something unexpected; "not found" answers are values, not errors.
 */
public interface RegistryApi {

    /** Registers (or re-registers) this instance. */
    Mono<Void> register(InstanceRegistration registration);

    /** Renews the lease; {@code false} when the registry does not know the instance (it must re-register). */
    Mono<Boolean> renew(InstanceRegistration registration);

    /** Removes the instance; an instance the registry already forgot counts as removed. */
    Mono<Void> deregister(InstanceRegistration registration);

    /** Every cluster the registry knows, lower-case names, with only its instances that are UP. */
    Mono<Map<String, List<Endpoint>>> fetchAll();

    /** One cluster's UP instances; empty when the registry does not know the cluster. */
    Mono<List<Endpoint>> fetchCluster(String service);
}
