package dev.meshgate.bench;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite's smoke run: the packaged bench jar in quick mode with profiles, as {@code ./mesh bench --quick
 * --profile} runs it, against the jars this build produced. It proves every contender starts, carries
 * traffic and is reported with the references measured alongside it, and every JVM contender's processes are
 * profiled; it asserts nothing about speed.
 */
class QuickModeIT {

    private static final Path HOME = Path.of(System.getProperty("mesh.home", "../../..")).toAbsolutePath().normalize();
    private static final Path BENCH_JAR = HOME.resolve("src/bench/runner/target/bench.jar");
    private static final List<String> CONTENDERS =
            List.of("direct", "nginx", "nginx-pair", "haproxy", "plain-scg", "gateway", "mesh-node", "mesh-node-hop",
                    "mesh-node-hop-policies", "gateway-to-node");

    @Test
    void everyContenderCarriesTrafficAndIsReported() throws Exception {
        RequiredPrograms.assumeInstalled(Tools.locate().missing().isEmpty(),
                "the benchmark's external programs are not installed: " + Tools.locate().missing().orElse(""));
        Path out = HOME.resolve("src/bench/runner/target/bench-smoke");
        Files.createDirectories(out);
        Path log = out.resolve("bench.log");
        Process bench = new ProcessBuilder(javaBinary(), "-jar", BENCH_JAR.toString(), "--quick", "--profile", "--no-build",
                "--home=" + HOME, "--out=" + out)
                .directory(HOME.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            boolean finished = bench.waitFor(8, TimeUnit.MINUTES);
            assertThat(finished).as("quick mode finished within 8 minutes; log: %s", log).isTrue();
            assertThat(bench.exitValue()).as("bench exit code; log:%n%s", tail(log)).isZero();
        } finally {
            // the runner's shutdown hook stops every contender it started
            bench.destroy();
            if (!bench.waitFor(30, TimeUnit.SECONDS)) {
                bench.destroyForcibly();
            }
        }

        JsonNode report = new ObjectMapper().readTree(out.resolve("quick.json").toFile());
        assertThat(report.path("mode").asString()).isEqualTo("quick");
        List<String> reported = new ArrayList<>();
        for (JsonNode contender : report.path("contenders")) {
            String id = contender.path("id").asString();
            reported.add(id);
            assertThat(contender.path("failure").isNull()).as("%s failed: %s", id, contender.path("failure")).isTrue();
            for (JsonNode size : contender.path("sizes")) {
                JsonNode saturation = size.path("saturation");
                assertThat(saturation.path("requests").asLong()).as("%s requests at saturation", id).isPositive();
                assertThat(saturation.path("non2xx").asLong()).as("%s non-2xx answers", id).isZero();
                // every saturation window is bracketed by the reference nginx, the target-rate one by direct windows
                for (String side : List.of("before", "after")) {
                    assertThat(size.path("nginxAlongside").path(side).path("requests").asLong())
                            .as("%s: reference nginx %s its saturation window", id, side).isPositive();
                }
                for (JsonNode rate : size.path("rates")) {
                    assertThat(rate.path("load").path("completed").asLong()).as("%s open-loop answers", id).isPositive();
                    for (String side : List.of("before", "after")) {
                        assertThat(rate.path("directAlongside").path(side).path("completed").asLong())
                                .as("%s: direct %s its fixed-rate window", id, side).isPositive();
                    }
                }
            }
            List<String> profiled = new ArrayList<>();
            for (JsonNode profile : contender.path("profiles")) {
                profiled.add(profile.path("process").asString());
                assertThat(profile.path("samples").asLong()).as("%s: samples of %s", id, profile.path("process")).isPositive();
                assertThat(profile.path("hottestFrames").isEmpty()).as("%s: hottest frames of %s", id, profile.path("process")).isFalse();
                assertThat(HOME.resolve(profile.path("flameGraph").asString())).as("%s: flame graph", id).isRegularFile();
            }
            List<String> processes = new ArrayList<>();
            contender.path("processes").forEach(process -> processes.add(process.path("label").asString()));
            assertThat(profiled).as("%s: profiled processes", id)
                    .isEqualTo(contender.path("jvm").asBoolean() ? processes : List.of());
        }
        assertThat(reported).containsExactlyElementsOf(CONTENDERS);
        assertThat(Files.readString(out.resolve("quick.md"))).contains("mesh-node", "nginx", "ratio", "Where the CPU goes");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
