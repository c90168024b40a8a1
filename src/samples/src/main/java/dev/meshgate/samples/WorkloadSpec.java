package dev.meshgate.samples;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One workload as given on the command line:
 * {@code name=planner,instance=planner-1,port=9001,version=v1,latency-ms=0,failure-rate=0,outbound=http://127.0.0.1:15001}.
 * Every value is checked when parsed; a bad one is rejected with a message quoting the argument,
 * the key and the value.
 */
public record WorkloadSpec(
        String name,
        String instance,
        String host,
        int port,
        String version,
        long latencyMs,
        double failureRate,
        URI outbound) {

    public static final List<String> KEYS =
            List.of("name", "instance", "host", "port", "version", "latency-ms", "failure-rate", "outbound");
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final String DEFAULT_VERSION = "v1";
    public static final URI DEFAULT_OUTBOUND = URI.create("http://127.0.0.1:15001");

    public WorkloadSpec {
        requireLabel("name", name);
        requireLabel("instance", instance);
        requireText("host", host);
        requireText("version", version);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (latencyMs < 0) {
            throw new IllegalArgumentException("latency-ms must not be negative, was " + latencyMs);
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failure-rate must be between 0 and 1, was " + failureRate);
        }
        if (outbound == null || !"http".equals(outbound.getScheme()) || outbound.getHost() == null) {
            throw new IllegalArgumentException("outbound must be an http://host:port URL, was " + outbound);
        }
    }

    /** What this workload does, decided by its name. */
    public Kind kind() {
        return switch (name) {
            case "planner" -> Kind.PLANNER;
            case "search" -> Kind.SEARCH;
            case "calc" -> Kind.CALC;
            default -> Kind.GENERIC_TOOL;
        };
    }

    public int outboundPort() {
        return outbound.getPort() > 0 ? outbound.getPort() : 80;
    }

    public enum Kind { PLANNER, SEARCH, CALC, GENERIC_TOOL }

    /** Parses the value of one {@code --workload=} argument. */
    public static WorkloadSpec parse(String argument) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : argument.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw invalid(argument, "'" + pair + "' is not key=value");
            }
            String key = pair.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            String value = pair.substring(equals + 1).trim();
            if (!KEYS.contains(key)) {
                throw invalid(argument, "unknown key '" + key + "' (known keys: " + String.join(", ", KEYS) + ")");
            }
            if (values.put(key, value) != null) {
                throw invalid(argument, "key '" + key + "' is given twice");
            }
        }
        String name = values.get("name");
        if (name == null || name.isBlank()) {
            throw invalid(argument, "name is required (planner, search, calc or any tool name)");
        }
        if (!values.containsKey("port")) {
            throw invalid(argument, "port is required");
        }
        try {
            return new WorkloadSpec(
                    name,
                    values.getOrDefault("instance", name + "-1"),
                    values.getOrDefault("host", DEFAULT_HOST),
                    (int) number(values, "port", 0, 65535),
                    values.getOrDefault("version", DEFAULT_VERSION),
                    number(values, "latency-ms", 0, Long.MAX_VALUE),
                    fraction(values, "failure-rate"),
                    outbound(values));
        } catch (IllegalArgumentException e) {
            throw invalid(argument, e.getMessage());
        }
    }

    private static long number(Map<String, String> values, String key, long min, long max) {
        String raw = values.getOrDefault(key, "0");
        try {
            long value = Long.parseLong(raw);
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            String range = max == Long.MAX_VALUE ? min + " or more" : "between " + min + " and " + max;
            throw new IllegalArgumentException(key + " must be a whole number " + range + ", was '" + raw + "'");
        }
    }

    private static double fraction(Map<String, String> values, String key) {
        String raw = values.getOrDefault(key, "0");
        try {
            double value = Double.parseDouble(raw);
            if (!(value >= 0 && value <= 1)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number between 0 and 1, was '" + raw + "'");
        }
    }

    private static URI outbound(Map<String, String> values) {
        String raw = values.get("outbound");
        if (raw == null) {
            return DEFAULT_OUTBOUND;
        }
        try {
            URI uri = new URI(raw);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (Exception e) {
            throw new IllegalArgumentException("outbound must be an http://host:port URL, was '" + raw + "'");
        }
    }

    private static IllegalArgumentException invalid(String argument, String problem) {
        return new IllegalArgumentException("--workload=" + argument + ": " + problem);
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must not be blank");
        }
    }

    private static void requireLabel(String key, String value) {
        requireText(key, value);
        if (!value.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException(key + " must be letters, digits, '-', '_' or '.', was '" + value + "'");
        }
    }
}
