package dev.meshgate.bench.report;

import dev.meshgate.bench.load.OpenLoopResult;

import java.util.Map;

/**
 * One fixed-rate run: its latencies, the direct windows bracketing it ({@code directAlongside}: at the
 * target rate and primary body size only, null elsewhere or when a reference window failed), and each
 * measured process's CPU per request and memory.
 */
public record RateFigures(OpenLoopResult load, DirectAlongside directAlongside, Map<String, Double> cpuMicrosPerRequest,
                          Map<String, Long> rssKb) {
}
