package dev.meshgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the run ran on, for the report header: cores, CPU, memory, kernel, and every tool's version. */
final class Machine {

    private Machine() {
    }

    /** The 1-minute load average, or NaN where /proc/loadavg is unreadable. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static Map<String, String> describe(Path java, Path jdk25, Tools tools) {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("CPU", firstMatching(Path.of("/proc/cpuinfo"), "model name"));
        machine.put("memory", firstMatching(Path.of("/proc/meminfo"), "MemTotal"));
        machine.put("kernel", read(Path.of("/proc/sys/kernel/osrelease")));
        machine.put("OS", firstMatching(Path.of("/etc/os-release"), "PRETTY_NAME"));
        machine.put("CPU idle", cpuIdle(Path.of("/sys")));
        machine.put("JVM of the contenders", firstLine(List.of(java.toString(), "-version")) + " (" + java + ")");
        machine.put("JDK 25 (start-up comparison)", Files.isExecutable(jdk25)
                ? firstLine(List.of(jdk25.toString(), "-version")) + " (" + jdk25 + ")" : "not found at " + jdk25);
        machine.put("nginx", firstLine(List.of(tools.path("nginx"), "-v")));
        machine.put("HAProxy", firstLine(List.of(tools.path("haproxy"), "-v")));
        machine.put("wrk", firstLine(List.of(tools.path("wrk"), "-v")));
        return machine;
    }

    /**
     * How an idle core sleeps: on a virtual machine whose cores halt at once (no guest halt polling),
     * waking one costs tens of microseconds, which every request pays at a fixed low rate, through
     * every process it passes (measured here: a hop's added p50 of about 180 µs fell to 45 µs with the
     * cores kept from idling). Latency figures from machines with different settings do not compare.
     */
    static String cpuIdle(Path sys) {
        Path cpuidle = sys.resolve("devices/system/cpu/cpuidle");
        String driver = read(cpuidle.resolve("current_driver"));
        String governor = read(cpuidle.resolve("current_governor"));
        if (governor.equals("unknown")) {
            governor = read(cpuidle.resolve("current_governor_ro"));
        }
        if (driver.equals("unknown") && governor.equals("unknown")) {
            return "unknown";
        }
        StringBuilder idle = new StringBuilder("driver ").append(driver).append(", governor ").append(governor);
        String haltPoll = read(sys.resolve("module/haltpoll/parameters/guest_halt_poll_ns"));
        if (!haltPoll.equals("unknown")) {
            idle.append(", guest halt polling ").append(haltPoll).append(" ns")
                    .append(haltPoll.equals("0") ? " (an idle core halts at once; waking it costs the host a VM entry)" : "");
        }
        return idle.toString();
    }

    private static String firstMatching(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(line.contains(":") ? ':' : '=') + 1).trim().replace("\"", "");
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String firstLine(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return output.lines().filter(line -> !line.isBlank()).findFirst().orElse("unknown").trim();
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
