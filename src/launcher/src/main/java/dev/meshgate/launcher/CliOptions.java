package dev.meshgate.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The parsed command line of {@code ./mesh}. Problems are {@link IllegalArgumentException}s with a message for the user. */
public record CliOptions(
        String command,
        boolean detach,
        Integer gatewayPort,
        Integer configPort,
        Integer registryPort,
        Integer nodePortBase,
        Integer appPortBase,
        Path runDir,
        Duration timeout,
        List<String> jvmOptions,
        Path home,
        ClassArchiveOptions classArchive) {

    public static final List<String> COMMANDS = List.of("up", "down", "status", "class-archive", "help");

    /**
     * The options of {@code class-archive}; each null means its default: the node jar and JVM options of
     * the checkout, the archive where {@code up} keeps it, and no argument file.
     */
    public record ClassArchiveOptions(Path nodeJar, Path archiveDir, Path jvmOptionsFile, Path argsFile) {
        static final ClassArchiveOptions DEFAULTS = new ClassArchiveOptions(null, null, null, null);

        boolean isDefault() {
            return equals(DEFAULTS);
        }
    }

    public CliOptions {
        jvmOptions = List.copyOf(jvmOptions);
    }

    public static CliOptions parse(String... args) {
        String command = null;
        boolean detach = false;
        Integer gatewayPort = null;
        Integer configPort = null;
        Integer registryPort = null;
        Integer nodePortBase = null;
        Integer appPortBase = null;
        Path runDir = null;
        Duration timeout = null;
        List<String> jvmOptions = new ArrayList<>();
        Path home = null;
        Path nodeJar = null;
        Path archiveDir = null;
        Path jvmOptionsFile = null;
        Path argsFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                if (command != null) {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "' after command '" + command + "'");
                }
                command = arg;
                continue;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                command = "help";
                continue;
            }
            if (arg.equals("-d") || arg.equals("--detach")) {
                detach = true;
                continue;
            }
            String flag = arg;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                flag = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && isValueFlag(flag)) {
                value = args[++i];
            } else if (isValueFlag(flag)) {
                throw new IllegalArgumentException(flag + " needs a value");
            } else {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
            switch (flag) {
                case "--gateway-port" -> gatewayPort = port(flag, value);
                case "--config-port" -> configPort = port(flag, value);
                case "--registry-port" -> registryPort = port(flag, value);
                case "--node-port-base" -> nodePortBase = port(flag, value);
                case "--app-port-base" -> appPortBase = port(flag, value);
                case "--run-dir" -> runDir = Path.of(value);
                case "--timeout" -> timeout = timeout(value);
                case "--jvm-option" -> jvmOptions.add(value);
                case "--home" -> home = Path.of(value);
                case "--node-jar" -> nodeJar = Path.of(value);
                case "--archive-dir" -> archiveDir = Path.of(value);
                case "--jvm-options" -> jvmOptionsFile = Path.of(value);
                case "--args-file" -> argsFile = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
        }
        if (command == null) {
            command = "help";
        }
        if (detach && !command.equals("up")) {
            throw new IllegalArgumentException("--detach belongs to 'up'");
        }
        ClassArchiveOptions classArchive = new ClassArchiveOptions(nodeJar, archiveDir, jvmOptionsFile, argsFile);
        if (!classArchive.isDefault() && !command.equals("class-archive")) {
            throw new IllegalArgumentException("--node-jar, --archive-dir, --jvm-options and --args-file belong to 'class-archive'");
        }
        return new CliOptions(command, detach, gatewayPort, configPort, registryPort, nodePortBase, appPortBase,
                runDir, timeout, jvmOptions, home, classArchive);
    }

    public boolean knownCommand() {
        return COMMANDS.contains(command);
    }

    private static boolean isValueFlag(String flag) {
        return List.of("--gateway-port", "--config-port", "--registry-port", "--node-port-base", "--app-port-base",
                "--run-dir", "--timeout", "--jvm-option", "--home", "--node-jar", "--archive-dir", "--jvm-options",
                "--args-file").contains(flag);
    }

    private static int port(String flag, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a port number between 1 and 65535, was '" + value + "'");
        }
    }

    /** Seconds as a number ({@code 240}) or with a unit ({@code 240s}, {@code 4m}). */
    private static Duration timeout(String value) {
        String trimmed = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration duration;
            if (trimmed.endsWith("m")) {
                duration = Duration.ofMinutes(Long.parseLong(trimmed.substring(0, trimmed.length() - 1)));
            } else if (trimmed.endsWith("s")) {
                duration = Duration.ofSeconds(Long.parseLong(trimmed.substring(0, trimmed.length() - 1)));
            } else {
                duration = Duration.ofSeconds(Long.parseLong(trimmed));
            }
            if (duration.isZero() || duration.isNegative()) {
                throw new NumberFormatException();
            }
            return duration;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--timeout must be a positive number of seconds (e.g. 240 or 240s or 4m), was '"
                    + value + "'");
        }
    }
}
