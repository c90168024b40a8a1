package dev.meshgate.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliOptionsTest {

    @Test
    void readsEveryFlagInBothSpellings() {
        CliOptions options = CliOptions.parse("up", "--detach", "--gateway-port", "18080", "--config-port=18888",
                "--registry-port", "18761", "--node-port-base=25000", "--app-port-base", "19000", "--run-dir", "/tmp/run",
                "--timeout=240s", "--jvm-option", "-Dx=1", "--jvm-option=-Dy=2", "--home", "/repo");
        assertThat(options).isEqualTo(new CliOptions("up", true, 18080, 18888, 18761, 25000, 19000, Path.of("/tmp/run"),
                Duration.ofSeconds(240), List.of("-Dx=1", "-Dy=2"), Path.of("/repo"), CliOptions.ClassArchiveOptions.DEFAULTS));
    }

    @Test
    void readsTheClassArchiveOptions() {
        CliOptions options = CliOptions.parse("class-archive", "--node-jar", "/app/app.jar", "--archive-dir=/app/class-archive",
                "--jvm-options", "/app/jvm.options", "--args-file", "/app/java.args");
        assertThat(options.knownCommand()).isTrue();
        assertThat(options.classArchive()).isEqualTo(new CliOptions.ClassArchiveOptions(Path.of("/app/app.jar"),
                Path.of("/app/class-archive"), Path.of("/app/jvm.options"), Path.of("/app/java.args")));
        assertThat(CliOptions.parse("class-archive").classArchive()).isEqualTo(CliOptions.ClassArchiveOptions.DEFAULTS);
        assertThatThrownBy(() -> CliOptions.parse("up", "--node-jar", "/app/app.jar"))
                .hasMessage("--node-jar, --archive-dir, --jvm-options and --args-file belong to 'class-archive'");
    }

    @Test
    void defaultsToHelpAndLeavesUnsetValuesEmpty() {
        CliOptions options = CliOptions.parse();
        assertThat(options.command()).isEqualTo("help");
        assertThat(options.gatewayPort()).isNull();
        assertThat(options.timeout()).isNull();
        assertThat(CliOptions.parse("--help").command()).isEqualTo("help");
        assertThat(CliOptions.parse("-d", "up").detach()).isTrue();
    }

    @Test
    void acceptsTimeoutsInSecondsOrMinutes() {
        assertThat(CliOptions.parse("up", "--timeout", "90").timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(CliOptions.parse("up", "--timeout", "4m").timeout()).isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void rejectsBadValuesQuotingThem() {
        assertThatThrownBy(() -> CliOptions.parse("up", "--gateway-port", "eighty"))
                .hasMessage("--gateway-port must be a port number between 1 and 65535, was 'eighty'");
        assertThatThrownBy(() -> CliOptions.parse("up", "--config-port=0"))
                .hasMessage("--config-port must be a port number between 1 and 65535, was '0'");
        assertThatThrownBy(() -> CliOptions.parse("up", "--timeout", "soon"))
                .hasMessageStartingWith("--timeout must be a positive number of seconds").hasMessageEndingWith("was 'soon'");
        assertThatThrownBy(() -> CliOptions.parse("up", "--colour", "red")).hasMessage("unknown option '--colour'");
        assertThatThrownBy(() -> CliOptions.parse("up", "--gateway-port")).hasMessage("--gateway-port needs a value");
        assertThatThrownBy(() -> CliOptions.parse("up", "down")).hasMessage("unexpected argument 'down' after command 'up'");
        assertThatThrownBy(() -> CliOptions.parse("status", "--detach")).hasMessage("--detach belongs to 'up'");
    }

    @Test
    void keepsAnUnknownCommandForTheHelpText() {
        CliOptions options = CliOptions.parse("bench");
        assertThat(options.command()).isEqualTo("bench");
        assertThat(options.knownCommand()).isFalse();
    }
}
