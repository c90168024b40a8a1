package dev.meshgate.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml is valid and names the whole topology. Needs only the docker-compose binary
 * (no Docker engine): {@code config} parses and resolves the file without running anything.
 */
class ComposeFileIT {

    /** The default topology of docs/architecture.md: control plane, edge, four workloads and a mesh-node for each. */
    static final List<String> EXPECTED_SERVICES = List.of("config-server", "registry", "gateway",
            "planner", "search-1", "search-2", "calc-1",
            "planner-node", "search-1-node", "search-2-node", "calc-1-node");
    private static Path composeBinary;

    /** Checked before each test (not once for the class) so every skipped test reports the reason. */
    @BeforeEach
    void requireDockerCompose() {
        composeBinary = onPath("docker-compose");
        Assumptions.assumeTrue(composeBinary != null,
                "docker-compose is not installed here (Debian package docker-compose; CI installs it): compose file check skipped");
    }

    static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome compose(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(composeBinary.toString(), "-f", "docker-compose.yml"));
        command.addAll(List.of(args));
        Path errors = Files.createTempFile("compose", ".err");
        Process process = new ProcessBuilder(command).directory(MeshTopologyExtension.home().toFile())
                .redirectError(errors.toFile()).start();
        try {
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("docker-compose finished").isTrue();
            return new Outcome(process.exitValue(), stdout, Files.readString(errors));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(errors);
        }
    }

    @Test
    void theComposeFileIsValid() throws Exception {
        Outcome outcome = compose("config", "-q");
        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    }

    @Test
    void everyPartOfTheTopologyIsAService() throws Exception {
        Outcome outcome = compose("config", "--services");
        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        List<String> services = outcome.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        assertThat(services).containsAll(EXPECTED_SERVICES);
    }
}
