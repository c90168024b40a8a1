package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;

/** Something that forwards requests to the shared upstream, started for its turn and stopped after. */
public interface Contender {

    /** Short stable id, used in the JSON and as a table key: "nginx", "mesh-node-hop". */
    String id();

    /** What it is, for the report. */
    String title();

    /** A JVM needs its JIT warmed up before its figures mean anything. */
    boolean jvm();

    /**
     * Whether every body size and rate is measured; a large-table variant is measured at the primary
     * size and the target rate only, beside its one-route counterpart.
     */
    default boolean fullMatrix() {
        return true;
    }

    /** Starts the contender's processes and waits until requests pass end to end. */
    Deployment deploy(BenchContext context);
}
