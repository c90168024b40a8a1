package dev.meshgate.node;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MeshNodePropertiesBindingTest {

    @Test
    void bindsTheDocumentedDefaultsWhenNothingIsConfigured() {
        MeshNodeProperties properties = bind(Map.of());

        assertThat(properties).isNotNull();
        assertThat(properties.listeners().outbound()).isEqualTo(new MeshNodeProperties.Listener("127.0.0.1", 15001));
        assertThat(properties.listeners().inbound()).isEqualTo(new MeshNodeProperties.Listener("127.0.0.1", 15006));
        assertThat(properties.node().instanceId()).isEqualTo("app@127.0.0.1");
        assertThat(properties.registry().heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void oneConfiguredListenerLeavesTheOtherAtItsDefault() {
        MeshNodeProperties properties = bind(Map.of("mesh.listeners.inbound.host", "0.0.0.0", "mesh.listeners.inbound.port", "0"));

        assertThat(properties.listeners().inbound()).isEqualTo(new MeshNodeProperties.Listener("0.0.0.0", 0));
        assertThat(properties.listeners().outbound().port()).isEqualTo(15001);
    }

    private static MeshNodeProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("mesh", MeshNodeProperties.class);
    }
}
