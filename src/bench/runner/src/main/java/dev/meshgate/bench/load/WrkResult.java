package dev.meshgate.bench.load;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One closed-loop run of {@code wrk --latency}: requests completed, the rate, failures, and wrk's own
 * latency percentiles (closed loop, so they describe a saturated proxy, not one under a given rate).
 */
public record WrkResult(long requests, double seconds, double requestsPerSecond, long non2xx, long socketErrors,
                        double p50Micros, double p99Micros) {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE);

    /** Parses wrk's text output; a run with no "requests in" line is an error naming the output. */
    public static WrkResult parse(String output) {
        Matcher requests = REQUESTS.matcher(output);
        Matcher rate = RATE.matcher(output);
        if (!requests.find() || !rate.find()) {
            throw new IllegalArgumentException("wrk printed no result; its output was:\n" + output.strip());
        }
        long non2xx = 0;
        Matcher non = NON_2XX.matcher(output);
        if (non.find()) {
            non2xx = Long.parseLong(non.group(1));
        }
        long socketErrors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                socketErrors += Long.parseLong(socket.group(group));
            }
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(output);
        while (percentile.find()) {
            double micros = micros(Double.parseDouble(percentile.group(2)), percentile.group(3));
            if (percentile.group(1).equals("50")) {
                p50 = micros;
            } else {
                p99 = micros;
            }
        }
        return new WrkResult(Long.parseLong(requests.group(1)),
                micros(Double.parseDouble(requests.group(2)), requests.group(3)) / 1e6,
                Double.parseDouble(rate.group(1)), non2xx, socketErrors, p50, p99);
    }

    public long failures() {
        return non2xx + socketErrors;
    }

    public Duration duration() {
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private static double micros(double value, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> value;
            case "ms" -> value * 1e3;
            case "s" -> value * 1e6;
            case "m" -> value * 60e6;
            default -> throw new IllegalArgumentException("unknown wrk time unit " + unit);
        };
    }
}
