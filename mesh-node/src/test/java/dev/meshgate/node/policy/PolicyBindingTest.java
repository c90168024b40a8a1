package dev.meshgate.node.policy;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.PolicyDocument;
import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.core.policy.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code mesh.policy} as the config repository writes it, bound to mesh-core's records. */
class PolicyBindingTest {

    private static MeshPolicy bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate(PolicyConfiguration.PREFIX, PolicyDocument.class).toPolicy();
    }

    @Test
    void nothingConfiguredGivesTheSafeDefault() {
        assertThat(bind(Map.of()).service("search").route("GET", "/").requestTimeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void bindsServicesAndRoutes() {
        MeshPolicy policy = bind(Map.of(
                "mesh.policy.request-timeout", "5s",
                "mesh.policy.services.search.request-timeout", "2s",
                "mesh.policy.services.search.routes[0].name", "events",
                "mesh.policy.services.search.routes[0].path-prefix", "/events",
                "mesh.policy.services.search.routes[0].stream", "true",
                "mesh.policy.services.search.routes[1].name", "reports",
                "mesh.policy.services.search.routes[1].path-prefix", "/reports",
                "mesh.policy.services.search.routes[1].methods", "GET,HEAD",
                "mesh.policy.services.search.routes[1].request-timeout", "60s"));

        assertThat(policy.service("search").route("GET", "/events/1").requestTimeoutNanos()).isZero();
        assertThat(policy.service("search").route("HEAD", "/reports").requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.service("search").route("POST", "/x").requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.service("other").route("GET", "/").requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aBadValueNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> bind(Map.of(
                "mesh.policy.services.search.routes[0].name", "events",
                "mesh.policy.services.search.routes[0].path-prefix", "events")))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("mesh.policy.services.search")
                .rootCause().hasMessageContaining("path-prefix must start with '/', was 'events'");
    }

    @Test
    void bindsRetriesMeshWideAndPerServiceAndRoute() {
        MeshPolicy policy = bind(Map.of(
                "mesh.policy.retries.attempts", "3",
                "mesh.policy.services.search.retries.retry-on[0]", "connect-failure",
                "mesh.policy.services.search.routes[0].name", "orders",
                "mesh.policy.services.search.routes[0].path-prefix", "/orders",
                "mesh.policy.services.search.routes[0].retries.attempts", "1"));

        assertThat(policy.service("other").route("GET", "/").retries())
                .isEqualTo(new RetryPolicy(3, null));
        assertThat(policy.service("search").route("GET", "/").retries())
                .isEqualTo(new RetryPolicy(null, Set.of(RetryOn.CONNECT_FAILURE)));
        assertThat(policy.service("search").route("GET", "/orders/7").retries().attempts()).isEqualTo(1);
    }

    @Test
    void anUnknownRetryOnNameOrTooManyAttemptsIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> bind(Map.of("mesh.policy.services.search.retries.retry-on[0]", "on-a-whim")))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("mesh.policy.services.search.retries.retry-on")
                .rootCause().hasMessageContaining("on-a-whim");
        assertThatThrownBy(() -> bind(Map.of("mesh.policy.retries.attempts", "0")))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("mesh.policy")
                .rootCause().hasMessageContaining("retries.attempts must be between 1 and 10, was 0");
    }
}
