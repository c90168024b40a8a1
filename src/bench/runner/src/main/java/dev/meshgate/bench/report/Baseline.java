package dev.meshgate.bench.report;

import tools.jackson.core.JacksonException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The previous run a report is compared against, read from its JSON: when and in what mode it ran,
 * the load on the machine then, and each contender's {@link ComparedFigures}. Its figures are kept
 * in the new JSON too, since the file they came from is usually the one this run overwrites. When
 * there is none, {@code unavailable} says why and the rest is empty.
 */
public record Baseline(String path, String startedAt, String mode, double loadAverageBefore, double loadAverageAfter,
                       List<ComparedFigures> contenders, String unavailable) {

    public static Baseline unavailable(Path path, String why) {
        return new Baseline(path == null ? null : path.toString(), null, null, Double.NaN, Double.NaN, List.of(), why);
    }

    public boolean available() {
        return unavailable == null;
    }

    public ComparedFigures contender(String id) {
        return contenders.stream().filter(contender -> contender.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * The run in {@code file}, its figures read at {@code bodyBytes} and {@code rate}. Never throws: a
     * missing or unreadable file gives a baseline that says so.
     */
    public static Baseline read(Path file, int bodyBytes, int rate) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return unavailable(file, "no file at " + file);
        } catch (IOException e) {
            return unavailable(file, "unreadable: " + e.getMessage());
        }
        try {
            Map<String, Object> run = object(ReportJson.read(text), "the run");
            List<ComparedFigures> contenders = new ArrayList<>();
            for (Object contender : list(run.get("contenders"), "contenders")) {
                contenders.add(contender(object(contender, "a contender"), bodyBytes, rate));
            }
            return new Baseline(file.toString(), text(run.get("startedAt")), text(run.get("mode")),
                    number(run.get("loadAverageBefore")), number(run.get("loadAverageAfter")), List.copyOf(contenders), null);
        } catch (JacksonException e) {
            return unavailable(file, "unreadable: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            return unavailable(file, "unreadable: " + e.getMessage());
        }
    }

    private static ComparedFigures contender(Map<String, Object> contender, int bodyBytes, int rate) {
        Object id = contender.get("id");
        if (!(id instanceof String)) {
            throw new IllegalArgumentException("a contender without an id");
        }
        Map<String, Object> size = find(contender.get("sizes"), "sizes", entry -> number(entry.get("bodyBytes")) == bodyBytes);
        Map<String, Object> atRate = size == null ? null
                : find(size.get("rates"), "rates", entry -> number(path(entry, "load", "targetRate")) == rate);
        Map<String, Double> cpu = new LinkedHashMap<>();
        if (size != null && size.get("saturationCpuMicrosPerRequest") != null) {
            object(size.get("saturationCpuMicrosPerRequest"), "saturationCpuMicrosPerRequest")
                    .forEach((label, micros) -> cpu.put(label, number(micros)));
        }
        Map<String, Long> rss = new LinkedHashMap<>();
        if (contender.get("processes") != null) {
            for (Object process : list(contender.get("processes"), "processes")) {
                Map<String, Object> figures = object(process, "a process");
                double steady = number(figures.get("steadyRssKb"));
                rss.put(String.valueOf(figures.get("label")), Double.isNaN(steady) ? -1 : (long) steady);
            }
        }
        return new ComparedFigures((String) id,
                size == null ? Double.NaN : number(path(size, "saturation", "requestsPerSecond")),
                atRate == null ? Double.NaN : number(path(atRate, "load", "responseTime", "p50Micros")),
                atRate == null ? Double.NaN : number(path(atRate, "load", "responseTime", "p99Micros")),
                cpu, rss, number(contender.get("readyMillis")));
    }

    private static Map<String, Object> find(Object entries, String what,
                                            java.util.function.Predicate<Map<String, Object>> matches) {
        if (entries == null) {
            return null;
        }
        for (Object entry : list(entries, what)) {
            Map<String, Object> object = object(entry, what);
            if (matches.test(object)) {
                return object;
            }
        }
        return null;
    }

    /** The value at a path of member names, or null where any step is missing. */
    private static Object path(Map<String, Object> root, String... names) {
        Object value = root;
        for (String name : names) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(name);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(what + " is not a JSON object");
    }

    private static List<?> list(Object value, String what) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException(what + " is not a JSON array");
    }

    /** A number, NaN for null (how the report writes a figure that was not measured) or anything else. */
    private static double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    private static String text(Object value) {
        return value instanceof String text ? text : null;
    }
}
