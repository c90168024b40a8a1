package dev.meshgate.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeClassArchiveTest {

    @TempDir
    Path dir;

    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    @Test
    void aJarThatIsNoSpringBootJarMeansNoArchiveAndAReasonNeverAFailure() throws IOException {
        Path jar = Files.writeString(dir.resolve("mesh-node.jar"), "not a zip");
        List<String> reports = new ArrayList<>();
        NodeClassArchive archive = new NodeClassArchive(java, jar, dir.resolve("cache"), List.of("-Xmx32m"),
                dir.resolve("logs/mesh-node-class-archive.log"), reports::add);

        assertThat(archive.prepare()).isEmpty();
        assertThat(reports).singleElement().asString().startsWith("mesh-node class archive skipped")
                .contains("is not a Spring Boot jar");
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void readsTheJdkVersionFromItsReleaseFile() throws IOException {
        assertThat(NodeClassArchive.jdkVersion(java)).hasValueSatisfying(version ->
                assertThat(NodeClassArchive.feature(version)).isEqualTo(Runtime.version().feature()));
        Path fakeJdk = Files.createDirectories(dir.resolve("jdk/bin"));
        Files.writeString(dir.resolve("jdk/release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");
        assertThat(NodeClassArchive.jdkVersion(fakeJdk.resolve("java"))).hasValue("25.0.3");
        assertThat(NodeClassArchive.jdkVersion(dir.resolve("nowhere/bin/java"))).isEmpty();
        assertThat(NodeClassArchive.feature("17.0.15")).isEqualTo(17);
    }

    @Test
    void theChecksumChangesWithTheJar() throws IOException {
        Path one = Files.writeString(dir.resolve("one.jar"), "one");
        Path two = Files.writeString(dir.resolve("two.jar"), "two");
        assertThat(NodeClassArchive.checksum(one)).hasSize(16).isNotEqualTo(NodeClassArchive.checksum(two))
                .isEqualTo(NodeClassArchive.checksum(one));
    }
}
