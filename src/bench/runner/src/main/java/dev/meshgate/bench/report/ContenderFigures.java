package dev.meshgate.bench.report;

import dev.meshgate.bench.profile.CpuProfile;

import java.util.List;

/**
 * Everything measured for one contender, or why it could not be: {@code failure} is set when it did
 * not start or broke mid-run, with whatever was measured before that. {@code profiles} holds one CPU
 * profile per process when the run profiled (--profile) and the contender is a JVM; else it is empty.
 */
public record ContenderFigures(String id, String title, boolean jvm, double warmUpSeconds, double readyMillis,
                               List<ProcessFigures> processes, List<SizeFigures> sizes, List<CpuProfile> profiles,
                               List<String> notes, String failure) {

    public SizeFigures atSize(int bodyBytes) {
        return sizes.stream().filter(size -> size.bodyBytes() == bodyBytes).findFirst().orElse(null);
    }

    public boolean measured() {
        return !sizes.isEmpty();
    }

    /** Average CPU per request over the mesh-node processes, or over all processes when there are none. */
    public static double perNodeAverage(List<ProcessFigures> processes, java.util.Map<String, Double> cpu) {
        List<ProcessFigures> nodes = processes.stream().filter(ProcessFigures::meshNode).toList();
        List<ProcessFigures> counted = nodes.isEmpty() ? processes : nodes;
        return counted.stream().mapToDouble(process -> cpu.getOrDefault(process.label(), Double.NaN)).average().orElse(Double.NaN);
    }
}
