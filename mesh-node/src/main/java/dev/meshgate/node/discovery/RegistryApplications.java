package dev.meshgate.node.discovery;

import java.util.List;
import java.util.Map;

/**
 * A {@code GET /apps} or {@code GET /apps/delta} answer: instances by lower-case application name
 * (every instance, whatever its status, for a full answer; the changed ones for a delta), and the
 * registry's reconcile hash of the whole registry as it was when it answered.
 *
 * @param reconcileHash Eureka's {@code apps__hashcode} (see {@link LocalRegistry#reconcileHash()});
 *                      null when the answer had none
 */
public record RegistryApplications(Map<String, List<RegistryInstance>> applications, String reconcileHash) {
}
