package dev.meshgate.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MachineTest {

    @TempDir
    Path sys;

    @Test
    void cpuIdleNamesDriverGovernorAndGuestHaltPolling() throws IOException {
        write("devices/system/cpu/cpuidle/current_driver", "haltpoll\n");
        write("devices/system/cpu/cpuidle/current_governor", "haltpoll\n");
        write("module/haltpoll/parameters/guest_halt_poll_ns", "200000\n");

        assertThat(Machine.cpuIdle(sys)).isEqualTo("driver haltpoll, governor haltpoll, guest halt polling 200000 ns");
    }

    @Test
    void cpuIdleSaysWhenIdleCoresHaltAtOnce() throws IOException {
        write("devices/system/cpu/cpuidle/current_driver", "haltpoll\n");
        write("devices/system/cpu/cpuidle/current_governor_ro", "menu\n");
        write("module/haltpoll/parameters/guest_halt_poll_ns", "0\n");

        assertThat(Machine.cpuIdle(sys)).startsWith("driver haltpoll, governor menu, guest halt polling 0 ns (an idle core halts at once");
    }

    @Test
    void cpuIdleWithoutHaltPollingModuleOrCpuidle() throws IOException {
        assertThat(Machine.cpuIdle(sys)).isEqualTo("unknown");

        write("devices/system/cpu/cpuidle/current_driver", "intel_idle\n");
        write("devices/system/cpu/cpuidle/current_governor", "menu\n");
        assertThat(Machine.cpuIdle(sys)).isEqualTo("driver intel_idle, governor menu");
    }

    private void write(String relative, String content) throws IOException {
        Path file = sys.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
