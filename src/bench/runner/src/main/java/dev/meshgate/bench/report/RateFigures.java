package dev.meshgate.bench.report;

import dev.meshgate.bench.load.OpenLoopResult;

import java.util.Map;

/** One fixed-rate run: its latencies and each measured process's CPU per request and memory. */
public record RateFigures(OpenLoopResult load, Map<String, Double> cpuMicrosPerRequest, Map<String, Long> rssKb) {
}
