package dev.meshgate.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** How the class-archive start-up case is named, from the JDK and the option the launcher chose. */
class StartupComparisonTest {

    @Test
    void theCaseNamesTheJdkAndTheKindOfArchiveTheLauncherMapped() {
        assertThat(StartupComparison.classArchiveJvm(17, "-XX:SharedArchiveFile=/cache/mesh-node.jsa"))
                .isEqualTo("JDK 17 + AppCDS archive (extracted jar, as ./mesh up)");
        assertThat(StartupComparison.classArchiveJvm(25, "-XX:AOTCache=/cache/mesh-node.aot"))
                .isEqualTo("JDK 25 + AOT cache (extracted jar, as ./mesh up)");
        // no archive could be had: the row still says which case failed
        assertThat(StartupComparison.classArchiveJvm(0, null)).isEqualTo("JDK of the run + class archive (extracted jar, as ./mesh up)");
    }

    @Test
    void theJdkFeatureComesFromTheReleaseFileBesideJava(@TempDir Path jdk) throws Exception {
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Debian\"\nJAVA_VERSION=\"17.0.15\"\n");

        assertThat(StartupComparison.jdkFeature(jdk.resolve("bin/java"))).isEqualTo(17);
        assertThat(StartupComparison.jdkFeature(jdk.resolve("elsewhere/bin/java"))).isZero();
    }
}
