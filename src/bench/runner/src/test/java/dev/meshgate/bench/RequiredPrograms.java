package dev.meshgate.bench;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that drive nginx, HAProxy or wrk: a developer machine without them skips the test with the
 * package to install, but CI ({@code CI} set, as {@code .ci/run} does after installing them) fails,
 * so a broken install can never pass as a skip.
 */
public final class RequiredPrograms {

    private RequiredPrograms() {
    }

    public static void assumeInstalled(boolean installed, String missing) {
        if (!installed && System.getenv("CI") != null) {
            fail(missing + ", and CI is expected to have installed it (.ci/run)");
        }
        assumeTrue(installed, missing);
    }
}
