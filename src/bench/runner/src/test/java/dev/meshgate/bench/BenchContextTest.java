package dev.meshgate.bench;

import dev.meshgate.launcher.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's JVM notes name the options a process was started with, not a fallback list. */
class BenchContextTest {

    @Test
    void aNodeRunsWithTheShippedOptionsFileAndItsNoteSaysSo(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("mesh-node"));
        Files.writeString(home.resolve("mesh-node/jvm.options"), "# comment\n-Xmx40m\n-XX:+UseSerialGC\n");
        BenchContext context = context(home);

        assertThat(context.jvmOptions(Role.MESH_NODE, List.of("-Dextra=1")))
                .containsExactly("-Xmx40m", "-XX:+UseSerialGC", BenchContext.NO_LEAK_DETECTION, "-Dextra=1");
        assertThat(context.jvmOptionsNote("mesh-node", Role.MESH_NODE, List.of()))
                .isEqualTo("mesh-node JVM options: -Xmx40m -XX:+UseSerialGC " + BenchContext.NO_LEAK_DETECTION);
    }

    @Test
    void anAotCacheDropsTheRolesSharingSetting(@TempDir Path home) {
        List<String> options = context(home).jvmOptions(Role.GATEWAY, List.of("-XX:AOTCache=app.aot"));

        assertThat(options).noneMatch(option -> option.startsWith("-Xshare")).endsWith("-XX:AOTCache=app.aot");
        assertThat(context(home).jvmOptions(Role.GATEWAY, List.of())).containsAll(Role.GATEWAY.defaultJvmOptions());
    }

    private static BenchContext context(Path home) {
        return new BenchContext(home, home.resolve("run"), null, Path.of("java"), 1, 2, 3,
                Duration.ofSeconds(1));
    }
}
