package dev.meshgate.samples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one or more sample workloads in this JVM, one {@code --workload=} argument each, until the
 * process is told to stop.
 */
public final class SamplesMain {

    static final int EXIT_USAGE = 2;
    static final int EXIT_START_FAILED = 1;
    private static final String WORKLOAD_PREFIX = "--workload=";

    private SamplesMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<WorkloadSpec> specs;
        try {
            specs = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("samples: " + e.getMessage());
            printUsage(System.err);
            System.exit(EXIT_USAGE);
            return;
        }
        if (specs.isEmpty()) {
            printUsage(System.out);
            return;
        }
        RunningSamples running;
        try {
            running = RunningSamples.start(specs);
        } catch (WorkloadStartException e) {
            System.err.println("samples: " + e.getMessage());
            System.exit(EXIT_START_FAILED);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "samples-shutdown"));
        for (WorkloadSpec spec : specs) {
            System.out.printf("%s (%s %s) listening on %s, latency %d ms, failure rate %s%s%n",
                    spec.instance(), spec.name(), spec.version(), running.baseUrl(spec.instance()),
                    spec.latencyMs(), spec.failureRate(),
                    spec.kind() == WorkloadSpec.Kind.PLANNER ? ", tools through " + spec.outbound() : "");
        }
        stopped.await();
    }

    /** Parses the command line; every problem is an {@link IllegalArgumentException} with a message for the user. */
    static List<WorkloadSpec> parse(String... args) {
        List<WorkloadSpec> specs = new ArrayList<>();
        Set<String> instances = new HashSet<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return List.of();
            }
            if (!arg.startsWith(WORKLOAD_PREFIX)) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
            WorkloadSpec spec = WorkloadSpec.parse(arg.substring(WORKLOAD_PREFIX.length()));
            if (!instances.add(spec.instance())) {
                throw new IllegalArgumentException("instance '" + spec.instance() + "' is given twice");
            }
            specs.add(spec);
        }
        if (specs.isEmpty() && args.length > 0) {
            throw new IllegalArgumentException("no --workload= given");
        }
        return specs;
    }

    static void printUsage(PrintStream out) {
        out.println("usage: java -jar samples.jar --workload=<spec> [--workload=<spec> ...]");
        out.println("  <spec> is comma-separated key=value: name=planner|search|calc|<tool>, port=<n> (required),");
        out.println("  instance=<id> (default <name>-1), host=127.0.0.1, version=v1, latency-ms=0, failure-rate=0 (0..1),");
        out.println("  outbound=http://127.0.0.1:15001 (the planner's sidecar)");
        out.println("  example: --workload=name=planner,instance=planner-1,port=9001,outbound=http://127.0.0.1:15001");
    }
}
