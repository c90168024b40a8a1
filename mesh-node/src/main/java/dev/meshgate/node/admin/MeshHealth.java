package dev.meshgate.node.admin;

import org.springframework.boot.health.contributor.Status;

/** Health statuses of our own, beside Spring Boot's UP / DOWN / OUT_OF_SERVICE / UNKNOWN. */
public final class MeshHealth {

    /**
     * Serving, but without part of the control plane: the node runs on its last known endpoints and
     * configuration (or built-in defaults). Ordered between OUT_OF_SERVICE and UP and answered with
     * HTTP 200 (see application.yml), so readiness holds: a node that can proxy should take traffic.
     */
    public static final Status DEGRADED = new Status("DEGRADED");

    private MeshHealth() {
    }
}
