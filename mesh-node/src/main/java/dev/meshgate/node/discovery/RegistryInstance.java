package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;

/**
 * One instance as a registry answer lists it: its id within its application, its status (one of
 * Eureka's status names), what a delta says happened to it, and where to send requests when it is UP.
 *
 * @param id       the instance id, unique within its application
 * @param status   {@code UP}, {@code DOWN}, {@code STARTING}, {@code OUT_OF_SERVICE} or {@code UNKNOWN}
 * @param action   what happened to it in a delta answer; null when the answer did not say or said
 *                 something else
 * @param endpoint where it serves; null unless it is UP with a usable plain port
 */
public record RegistryInstance(String id, String status, Action action, Endpoint endpoint) {

    /** Eureka's {@code actionType}: what a delta answer says happened to an instance. */
    public enum Action {
        ADDED, MODIFIED, DELETED
    }
}
