package dev.meshgate.core.discovery;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointTest {

    @Test
    void anEndpointIsReadyUnlessItSaysOtherwise() {
        Endpoint listed = new Endpoint("search-1", "127.0.0.1", 15106, Map.of());
        Endpoint starting = new Endpoint("search-1", "127.0.0.1", 15106, Map.of(), false);

        assertThat(listed.ready()).isTrue();
        assertThat(starting.ready()).isFalse();
        // a change of readiness is a change of the endpoint, so a snapshot holding it is rebuilt
        assertThat(starting).isNotEqualTo(listed);
    }

    @Test
    void labelsReadAsUnlabelledWhenMissing() {
        Endpoint endpoint = new Endpoint("search-1", "127.0.0.1", 15106, Map.of(InstanceMetadata.VERSION, "v2"));

        assertThat(endpoint.version()).isEqualTo("v2");
        assertThat(endpoint.zone()).isEqualTo(InstanceMetadata.UNLABELLED);
    }

    @Test
    void rejectsAPortOutOfRangeNamingIt() {
        assertThatThrownBy(() -> new Endpoint("search-1", "127.0.0.1", 70000, Map.of()))
                .hasMessage("port must be between 1 and 65535, was 70000");
    }
}
