package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * The registry operations a mesh-node needs, as cold {@link Mono}s: nothing happens until
 * subscribed, and each subscription is one request. Errors mean the registry could not be reached
 * or answered something unexpected ({@link RegistryUnreachableException} when it gave no answer at
 * all); "not found" answers are values, not errors.
 */
public interface RegistryApi {

    /** Registers (or re-registers) this instance. */
    Mono<Void> register(InstanceRegistration registration);

    /** Renews the lease; {@code false} when the registry does not know the instance (it must re-register). */
    Mono<Boolean> renew(InstanceRegistration registration);

    /**
     * Sets the instance's status to {@code OUT_OF_SERVICE} ({@code false}: callers stop choosing it, it
     * stays registered) or clears that override ({@code true}: {@code UP} again).
     */
    Mono<Void> setInService(InstanceRegistration registration, boolean inService);

    /** Removes the instance; an instance the registry already forgot counts as removed. */
    Mono<Void> deregister(InstanceRegistration registration);

    /** The whole registry ({@code GET /apps}): every instance of every application, whatever its status. */
    Mono<RegistryApplications> fetchAll();

    /**
     * The instances that changed in the registry's recent window ({@code GET /apps/delta}), each with
     * its action, and the reconcile hash of the whole registry after those changes.
     */
    Mono<RegistryApplications> fetchDelta();

    /** One cluster's UP instances; empty when the registry does not know the cluster. */
    Mono<List<Endpoint>> fetchCluster(String service);
}
