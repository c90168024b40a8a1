package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.meshgate.node.discovery.RegistryInstance.Action.ADDED;
import static dev.meshgate.node.discovery.RegistryInstance.Action.DELETED;
import static dev.meshgate.node.discovery.RegistryInstance.Action.MODIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRegistryTest {

    private final LocalRegistry registry = new LocalRegistry();

    @Test
    void theReconcileHashCountsEveryInstanceByStatusInStatusOrderAsEurekaDoes() {
        // Eureka 2.0.5's Applications.getReconcileHashCode() gives DOWN_1_OUT_OF_SERVICE_1_STARTING_1_UNKNOWN_1_UP_4_
        // for these instances.
        registry.replaceAll(Map.of(
                "search", List.of(up("search-1"), up("search-2"), instance("search-3", "STARTING", ADDED)),
                "calc", List.of(instance("calc-1", "DOWN", ADDED), up("calc-2"), instance("calc-3", "OUT_OF_SERVICE", ADDED)),
                "pay", List.of(instance("pay-1", "UNKNOWN", ADDED), up("pay-2"))));

        assertThat(registry.reconcileHash()).isEqualTo("DOWN_1_OUT_OF_SERVICE_1_STARTING_1_UNKNOWN_1_UP_4_");
    }

    @Test
    void anEmptyRegistryHashesToNothing() {
        assertThat(registry.reconcileHash()).isEmpty();
        registry.replaceAll(Map.of("legacy", List.of()));
        assertThat(registry.reconcileHash()).isEmpty();
    }

    @Test
    void reproducesTheHashOfRealRegistryAnswers() {
        for (String fixture : List.of("apps-two-clusters.json", "apps-mixed-status.json", "apps-single-object.json")) {
            RegistryApplications answer = EurekaJson.parseApplications(EurekaJsonTest.fixture(fixture));

            registry.replaceAll(answer.applications());

            assertThat(registry.reconcileHash()).as(fixture).isEqualTo(answer.reconcileHash());
        }
    }

    @Test
    void aDeltaAddsModifiesAndDeletesInstancesAndSaysWhichApplicationsItTouched() {
        registry.replaceAll(Map.of(
                "search", List.of(up("search-1"), up("search-2")),
                "calc", List.of(up("calc-1")),
                "pay", List.of(up("pay-1"))));

        var touched = registry.apply(Map.of(
                "search", List.of(instance("search-3", "UP", ADDED), instance("search-2", "DOWN", MODIFIED)),
                "calc", List.of(instance("calc-1", "UP", DELETED))));

        assertThat(touched).containsExactlyInAnyOrder("search", "calc");
        assertThat(registry.upEndpoints("search")).extracting(Endpoint::instanceId).containsExactly("search-1", "search-3");
        assertThat(registry.upEndpoints("calc")).isEmpty();
        assertThat(registry.applicationNames()).containsExactlyInAnyOrder("search", "pay");
        assertThat(registry.reconcileHash()).isEqualTo("DOWN_1_UP_3_");
    }

    @Test
    void applyingTheSameDeltaAgainChangesNothing() {
        // the registry keeps listing a change for minutes: every refresh in that window sees it again
        registry.replaceAll(Map.of("search", List.of(up("search-1"))));
        Map<String, List<RegistryInstance>> delta = Map.of(
                "search", List.of(instance("search-2", "UP", ADDED), instance("search-1", "UP", DELETED)));
        registry.apply(delta);
        String once = registry.reconcileHash();

        registry.apply(delta);

        assertThat(registry.reconcileHash()).isEqualTo(once).isEqualTo("UP_1_");
        assertThat(registry.upEndpoints("search")).extracting(Endpoint::instanceId).containsExactly("search-2");
    }

    @Test
    void deletingAnInstanceItNeverListedIsNoChange() {
        registry.replaceAll(Map.of("search", List.of(up("search-1"))));

        registry.apply(Map.of("calc", List.of(instance("calc-9", "UP", DELETED))));

        assertThat(registry.applicationNames()).containsExactly("search");
        assertThat(registry.reconcileHash()).isEqualTo("UP_1_");
    }

    @Test
    void aDeltaInstanceWithoutAnActionIsRejected() {
        registry.replaceAll(Map.of());

        assertThatThrownBy(() -> registry.apply(Map.of("search", List.of(instance("search-1", "UP", null)))))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("search-1");
    }

    private static RegistryInstance up(String id) {
        return instance(id, "UP", ADDED);
    }

    private static RegistryInstance instance(String id, String status, RegistryInstance.Action action) {
        Endpoint endpoint = status.equals("UP") ? new Endpoint(id, "127.0.0.1", 8080, Map.of()) : null;
        return new RegistryInstance(id, status, action, endpoint);
    }
}
