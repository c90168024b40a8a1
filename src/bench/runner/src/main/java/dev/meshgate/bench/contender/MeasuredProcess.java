package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchProcess;

import java.time.Duration;

/**
 * A process of a contender whose CPU and memory are reported: its label in the report ("nginx",
 * "node A (outbound)"), whether it is a mesh-node (for per-node averages), and the time from its
 * spawn to its readiness.
 */
public record MeasuredProcess(String label, BenchProcess process, boolean meshNode, Duration readyTime) {
}
