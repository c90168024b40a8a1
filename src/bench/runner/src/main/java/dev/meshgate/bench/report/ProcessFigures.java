package dev.meshgate.bench.report;

/**
 * One process of a contender: time from its spawn to ready, its resident memory after the
 * measurements (steady) and its peak since start, in kB.
 */
public record ProcessFigures(String label, long pid, boolean meshNode, double readyMillis, long steadyRssKb,
                             long peakRssKb, long rssAtTargetRateKb) {
}
