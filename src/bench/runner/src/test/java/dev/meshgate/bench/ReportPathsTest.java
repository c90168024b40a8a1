package dev.meshgate.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReportPathsTest {

    @Test
    void pathsInsideTheCheckoutAreWrittenRelativeToIt() {
        Path home = Path.of("/srv/checkout");
        String report = "logs in /srv/checkout/src/bench/runner/target/bench-run/1/logs/a.log; java at /usr/lib/jvm/bin/java;"
                + " started in /srv/checkout)";

        assertThat(BenchMain.relativeToHome(report, home))
                .isEqualTo("logs in src/bench/runner/target/bench-run/1/logs/a.log; java at /usr/lib/jvm/bin/java;"
                        + " started in .)");
    }
}
