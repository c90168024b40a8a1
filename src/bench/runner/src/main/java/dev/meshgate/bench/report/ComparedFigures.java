package dev.meshgate.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one contender that a later run compares against: throughput at one body size,
 * open-loop p50 and p99 at one rate, CPU per request per process at saturation, steady RSS per
 * process and time to ready. Taken from this run's figures or from a previous run's JSON, so both
 * sides of a comparison are read the same way.
 */
public record ComparedFigures(String id, double requestsPerSecond, double p50Micros, double p99Micros,
                              Map<String, Double> saturationCpuMicrosPerRequest, Map<String, Long> steadyRssKb,
                              double readyMillis) {

    /** The figures of {@code contender} at {@code bodyBytes} and {@code rate}; NaN (or absent) where it has none. */
    public static ComparedFigures of(ContenderFigures contender, int bodyBytes, int rate) {
        SizeFigures size = contender.atSize(bodyBytes);
        RateFigures atRate = size == null ? null : size.atRate(rate);
        Map<String, Long> rss = new LinkedHashMap<>();
        contender.processes().forEach(process -> rss.put(process.label(), process.steadyRssKb()));
        return new ComparedFigures(contender.id(),
                size == null ? Double.NaN : size.saturation().requestsPerSecond(),
                atRate == null ? Double.NaN : atRate.load().responseTime().p50Micros(),
                atRate == null ? Double.NaN : atRate.load().responseTime().p99Micros(),
                size == null ? Map.of() : new LinkedHashMap<>(size.saturationCpuMicrosPerRequest()), rss, contender.readyMillis());
    }

    public static List<ComparedFigures> of(RunFigures run, int bodyBytes, int rate) {
        return run.contenders().stream().map(contender -> of(contender, bodyBytes, rate)).toList();
    }
}
