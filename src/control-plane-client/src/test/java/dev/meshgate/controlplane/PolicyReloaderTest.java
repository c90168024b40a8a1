package dev.meshgate.controlplane;

import dev.meshgate.core.policy.PolicyDocument;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A policy applied again on a configuration change: a good document replaces the snapshot, a bad one
 * is rejected naming its file, key and value while the last good one stays in force.
 */
class PolicyReloaderTest {

    private static final String FILE = "configserver:file:/repo/search.yml";

    private final StandardEnvironment environment = new StandardEnvironment();

    private void commit(Map<String, Object> values) {
        environment.getPropertySources().remove(FILE);
        environment.getPropertySources().addFirst(new MapPropertySource(FILE, values));
    }

    private PolicyReloader reloader() {
        return new PolicyReloader(environment, PolicyDocument::toPolicy);
    }

    @Test
    void aGoodDocumentReplacesTheSnapshotOnAChangeOfItsKeys() {
        commit(Map.of("mesh.policy.services.search.request-timeout", "2s"));
        PolicyReloader reloader = reloader();
        assertThat(reloader.store().current().service("search").requestTimeout()).isEqualTo(Duration.ofSeconds(2));

        commit(Map.of("mesh.policy.services.search.request-timeout", "3s"));
        reloader.onApplicationEvent(new EnvironmentChangeEvent(Set.of("mesh.policy.services.search.request-timeout")));

        assertThat(reloader.store().current().service("search").requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(reloader.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aChangeOfOtherKeysLeavesThePolicyAlone() {
        PolicyReloader reloader = reloader();
        var before = reloader.store().current();
        commit(Map.of("mesh.policy.services.search.request-timeout", "3s"));

        reloader.onApplicationEvent(new EnvironmentChangeEvent(Set.of("logging.level.root")));

        assertThat(reloader.store().current()).isSameAs(before);
    }

    @Test
    void aBadDocumentIsRejectedNamingFileKeyAndValueAndTheLastGoodStaysInForce() {
        commit(Map.of("mesh.policy.services.search.request-timeout", "2s"));
        PolicyReloader reloader = reloader();
        var good = reloader.store().current();

        commit(Map.of("mesh.policy.services.search.retry-budget.ratio", "1.5"));
        assertThat(reloader.reload()).isFalse();

        assertThat(reloader.store().current()).isSameAs(good);
        assertThat(reloader.rejected()).contains(FILE, "mesh.policy.services.search.retry-budget",
                "retry-budget.ratio must be between 0 and 1, was 1.5");
        assertThat(reloader.health().getStatus()).isEqualTo(MeshHealth.DEGRADED);
        assertThat(reloader.health().getDetails()).containsEntry("rejected", reloader.rejected());

        commit(Map.of("mesh.policy.services.search.request-timeout", "4s"));
        assertThat(reloader.reload()).isTrue();
        assertThat(reloader.rejected()).isNull();
        assertThat(reloader.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void anUnknownKeyIsRejectedNamingItsFileAndValue() {
        PolicyReloader reloader = reloader();
        commit(Map.of("mesh.policy.services.search.retries.attempt", "3"));

        assertThat(reloader.reload()).isFalse();

        assertThat(reloader.rejected())
                .isEqualTo("invalid policy: unknown key mesh.policy.services.search.retries.attempt = '3' in " + FILE);
    }

    @Test
    void aBadDocumentAtStartUpLeavesTheDefaultsInForce() {
        commit(Map.of("mesh.policy.services.search.circuit-breaker.failure-rate-threshold", "150",
                "mesh.policy.services.search.request-timeout", "2s"));

        PolicyReloader reloader = reloader();

        assertThat(reloader.store().current().service("search").requestTimeout()).as("the default")
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(reloader.rejected()).contains(FILE, "mesh.policy.services.search.circuit-breaker", "was 150");
        assertThat(reloader.health().getStatus()).isEqualTo(MeshHealth.DEGRADED);
    }
}
