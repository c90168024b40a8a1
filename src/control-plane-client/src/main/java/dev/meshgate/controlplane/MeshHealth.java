package dev.meshgate.controlplane;

import org.springframework.boot.health.contributor.Status;

/** Health statuses of our own, beside Spring Boot's UP / DOWN / OUT_OF_SERVICE / UNKNOWN. */
public final class MeshHealth {

    /**
     * Serving, but without part of the control plane: running on the last known state or on built-in
     * defaults. Ordered between OUT_OF_SERVICE and UP and answered with HTTP 200 in every application
     * that uses this module ({@link HealthStatusDefaults}), so it never fails a liveness, readiness or
     * container health check: a process that can serve should keep serving.
     */
    public static final Status DEGRADED = new Status("DEGRADED");

    private MeshHealth() {
    }
}
