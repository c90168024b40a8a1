package dev.meshgate.samples;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples process as the launcher sees it: exit codes and one-line messages on bad input. */
class SamplesMainProcessTest {

    private record Outcome(int exitCode, String stderr) {
    }

    private static Outcome run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), SamplesMain.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("samples process did not exit; stderr: " + stderr);
            }
            return new Outcome(process.exitValue(), withoutJvmWarnings(stderr));
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Drops what the JVM itself prints ahead of the program's output: newer JDKs warn, once, when a
     * library (Netty's native transport) loads native code from the class path.
     */
    private static String withoutJvmWarnings(String stderr) {
        StringBuilder kept = new StringBuilder();
        boolean leading = true;
        for (String line : stderr.split("(?<=\\n)")) {
            if (leading && (line.startsWith("WARNING: ") || line.isBlank())) {
                continue;
            }
            leading = false;
            kept.append(line);
        }
        return kept.toString();
    }

    @Test
    void badArgumentsExitWithUsageAndAClearMessage() throws Exception {
        Outcome outcome = run("--workload=name=search,port=1,speed=9");
        assertThat(outcome.exitCode()).isEqualTo(SamplesMain.EXIT_USAGE);
        assertThat(outcome.stderr()).startsWith("samples: --workload=name=search,port=1,speed=9: unknown key 'speed'")
                .contains("usage:").doesNotContain("Exception");
    }

    @Test
    void aTakenPortExitsNonZeroNamingTheInstance() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome outcome = run("--workload=name=search,instance=search-1,port=" + taken.getLocalPort());
            assertThat(outcome.exitCode()).isEqualTo(SamplesMain.EXIT_START_FAILED);
            assertThat(outcome.stderr()).isEqualTo("samples: search-1 cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use" + System.lineSeparator());
        }
    }
}
