package dev.meshgate.bench;

import dev.meshgate.bench.contender.Deployment;
import dev.meshgate.bench.load.LoopbackUpstream;
import dev.meshgate.bench.load.OpenLoopLoad;
import dev.meshgate.bench.load.Wrk;
import dev.meshgate.bench.report.DirectAlongside;
import dev.meshgate.bench.report.NginxAlongside;
import dev.meshgate.launcher.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference windows around a contender's own, against a real server on loopback standing in for
 * the reference nginx and the upstream; asserts the order and the bookkeeping, nothing about speed.
 */
class ReferenceWindowsTest {

    private static final BenchPlan PLAN = new BenchPlan("test", Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofMillis(100), Duration.ofMillis(600), List.of(1024), List.of(200), 4, 2, false, 0, false, true);

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    /** Stands in for the reference nginx and the direct upstream, told apart by the Host header. */
    private LoopbackUpstream server;

    @BeforeEach
    void startServer() throws IOException {
        server = LoopbackUpstream.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void saturationAndRateWindowsAreBracketedByTheirReferences() {
        requireWrk();
        try (OpenLoopLoad openLoop = new OpenLoopLoad()) {
            Wrk wrk = new Wrk(Tools.locate().path("wrk"), 1, 4);
            ReferenceWindows references = new ReferenceWindows(at(server.port(), "reference-nginx"),
                    at(server.port(), "direct"), PLAN, wrk, openLoop, new PrintStream(log, true));

            int[] nginxBeforeWindow = new int[1];
            int[] directBeforeWindow = new int[1];
            ReferenceWindows.Bracketed<String, NginxAlongside> saturation = references.aroundSaturation(1024, () -> {
                nginxBeforeWindow[0] = server.answered("reference-nginx");
                assertThat(server.answered("direct")).isZero();
                return "window";
            });
            int nginxAfterSaturation = server.answered("reference-nginx");
            ReferenceWindows.Bracketed<String, DirectAlongside> rate = references.aroundRate(1024, 200, () -> {
                directBeforeWindow[0] = server.answered("direct");
                return "window";
            });

            // the reference ran before the contender's window and again after it
            assertThat(nginxBeforeWindow[0]).isPositive();
            assertThat(nginxAfterSaturation).isGreaterThan(nginxBeforeWindow[0]);
            assertThat(directBeforeWindow[0]).isPositive();
            assertThat(server.answered("direct")).isGreaterThan(directBeforeWindow[0]);
            assertThat(saturation.window()).isEqualTo("window");
            // half the 2 s window on each side
            assertThat(saturation.alongside().before().requests()).isPositive();
            assertThat(saturation.alongside().after().requests()).isPositive();
            assertThat(saturation.alongside().before().seconds()).isBetween(0.9, 1.5);
            assertThat(saturation.alongside().requestsPerSecond()).isPositive();
            // 200 req/s for half of 600 ms on each side: 60 requests each
            assertThat(rate.alongside().before().completed()).isEqualTo(60);
            assertThat(rate.alongside().after().completed()).isEqualTo(60);
            assertThat(rate.alongside().p50Micros()).isPositive();
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("reference nginx alongside:", "direct alongside at 200 req/s");
        }
    }

    @Test
    void aReferenceThatDoesNotAnswerIsLeftOutAndTheContendersWindowKept() {
        requireWrk();
        int closedPort = LoopbackPorts.free(1).get(0);
        try (OpenLoopLoad openLoop = new OpenLoopLoad()) {
            Wrk wrk = new Wrk(Tools.locate().path("wrk"), 1, 4);
            ReferenceWindows references = new ReferenceWindows(at(closedPort, "reference-nginx"), at(closedPort, "direct"),
                    PLAN, wrk, openLoop, new PrintStream(log, true));

            ReferenceWindows.Bracketed<String, NginxAlongside> saturation = references.aroundSaturation(1024, () -> "window");
            ReferenceWindows.Bracketed<String, DirectAlongside> rate = references.aroundRate(1024, 200, () -> "window");

            assertThat(saturation.window()).isEqualTo("window");
            assertThat(saturation.alongside()).isNull();
            assertThat(rate.window()).isEqualTo("window");
            assertThat(rate.alongside()).isNull();
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("reference nginx window left out",
                    "direct reference window left out");
        }
    }

    @Test
    void withoutAReferenceNginxSaturationWindowsRunAlone() {
        try (OpenLoopLoad openLoop = new OpenLoopLoad()) {
            ReferenceWindows references = new ReferenceWindows(null, at(server.port(), "direct"), PLAN,
                    new Wrk("/nonexistent/wrk", 1, 4), openLoop, new PrintStream(log, true));

            ReferenceWindows.Bracketed<String, NginxAlongside> saturation = references.aroundSaturation(1024, () -> "window");

            assertThat(saturation.window()).isEqualTo("window");
            assertThat(saturation.alongside()).isNull();
            assertThat(server.answered()).isZero();
        }
    }

    private static Deployment at(int port, String host) {
        return new Deployment(port, host, "", List.of(), Duration.ZERO, List.of());
    }

    private static void requireWrk() {
        RequiredPrograms.assumeInstalled(Tools.locate().missing().isEmpty(),
                "the benchmark's external programs are not installed: " + Tools.locate().missing().orElse(""));
    }
}
