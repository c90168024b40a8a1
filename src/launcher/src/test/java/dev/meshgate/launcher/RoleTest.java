package dev.meshgate.launcher;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoleTest {

    @Test
    void aMeshNodeStartsWithMallocArenasCapped() {
        Map<String, String> environment = new HashMap<>(Map.of("PATH", "/usr/bin"));

        Role.MESH_NODE.applyEnvironment(environment);

        assertThat(environment).containsEntry("MALLOC_ARENA_MAX", "2").containsEntry("PATH", "/usr/bin");
    }

    @Test
    void anOperatorsOwnMallocArenaSettingWins() {
        Map<String, String> environment = new HashMap<>(Map.of("MALLOC_ARENA_MAX", "8"));

        Role.MESH_NODE.applyEnvironment(environment);

        assertThat(environment).containsEntry("MALLOC_ARENA_MAX", "8");
    }

    @Test
    void otherRolesKeepTheInheritedEnvironment() {
        for (Role role : Role.values()) {
            if (role == Role.MESH_NODE) {
                continue;
            }
            Map<String, String> environment = new HashMap<>(Map.of("PATH", "/usr/bin"));

            role.applyEnvironment(environment);

            assertThat(environment).as(role.name()).containsOnlyKeys("PATH");
        }
    }
}
