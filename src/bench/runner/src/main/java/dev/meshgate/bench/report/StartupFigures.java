package dev.meshgate.bench.report;

/**
 * Time from spawn to ready of one component on one JVM set-up (JDK 17 plain or with the launcher's class
 * archive, JDK 25, JDK 25 + AOT cache).
 */
public record StartupFigures(String component, String jvm, double readyMillis, long rssAtReadyKb, String failure) {
}
