package dev.meshgate.launcher;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeJvmOptionsTest {

    @Test
    void readsOptionsAndSkipsComments() {
        assertThat(NodeJvmOptions.parse(List.of("# heap", "-Xmx48m  -XX:+UseSerialGC # collector", "", "-Dx=1")))
                .containsExactly("-Xmx48m", "-XX:+UseSerialGC", "-Dx=1");
    }

    @Test
    void writesAnArgumentFileQuotingOnlyWhatNeedsIt() {
        assertThat(NodeJvmOptions.argumentFile(List.of("-Xmx48m", "-jar", "/app/class archive/app.jar", "-Dq=a\"b", "-Dw=c:\\d")))
                .isEqualTo("""
                        -Xmx48m
                        -jar
                        "/app/class archive/app.jar"
                        "-Dq=a\\"b"
                        "-Dw=c:\\\\d"
                        """);
    }
}
