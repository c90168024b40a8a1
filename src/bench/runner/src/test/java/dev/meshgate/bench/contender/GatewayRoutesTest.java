package dev.meshgate.bench.contender;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayRoutesTest {

    @Test
    void oneRouteUsesTheGateway5PropertyAndStripsItsPrefix() {
        String yaml = GatewayRoutes.single("/bench", "lb://bench-upstream").toYaml();

        assertThat(yaml).isEqualTo("""
                spring:
                  cloud:
                    gateway:
                      server:
                        webflux:
                          routes:
                            - id: bench
                              uri: lb://bench-upstream
                              predicates:
                                - Path=/bench/**
                              filters:
                                - StripPrefix=1
                """);
    }

    @Test
    void aGeneratedTableHasOneDistinctRoutePerIndexAndTheLastIsAddressed() {
        GatewayRoutes routes = GatewayRoutes.generated(10_000, "http://127.0.0.1:9101");

        assertThat(routes.routes()).hasSize(10_000);
        assertThat(routes.lastPrefix()).isEqualTo("/r9999");
        String yaml = routes.toYaml();
        assertThat(yaml).contains("- id: r0\n", "- Path=/r0/**\n", "- id: r9999\n", "- Path=/r9999/**\n");
        assertThat(yaml.split("- id: ", -1)).hasSize(10_001);
    }

    @Test
    void anEmptyTableIsRejected() {
        assertThatThrownBy(() -> GatewayRoutes.generated(0, "http://x")).hasMessageContaining("was 0");
    }

    @Test
    void registeredClustersAreNamedInIndexOrderAndPointAtTheGivenPort() {
        assertThat(ClusterRegistrar.name("bench-c", 42)).isEqualTo("bench-c00042");
        assertThat(ClusterRegistrar.instanceJson("bench-c00042", 15106))
                .contains("\"app\":\"BENCH-C00042\"", "\"vipAddress\":\"bench-c00042\"", "\"port\":{\"$\":15106",
                        "\"status\":\"UP\"", "\"durationInSecs\":3600");
    }
}
