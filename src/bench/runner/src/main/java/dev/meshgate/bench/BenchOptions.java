package dev.meshgate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code [--quick] [--only=id,id] [--profile] [--no-build] [--java=<java>] [--jdk25=<java>]
 * [--out=<dir>] [--baseline=<file>|none] [--home=<repo>]}. Bad arguments are rejected with a message naming them. {@code baseline}
 * is null for the default (the report of the same mode already in the output directory); {@code compareWithBaseline}
 * is false after {@code --baseline=none}.
 */
public record BenchOptions(boolean quick, List<String> only, boolean profile, boolean build, Path java, Path jdk25, Path out,
                           Path home, Path baseline, boolean compareWithBaseline, boolean help) {

    public static final String USAGE = """
            usage: java -jar src/bench/runner/target/bench.jar [--quick] [options]
              --quick          smoke run, under two minutes: checks the suite works, says nothing about speed
              --only=a,b       run only these contenders (ids: direct, nginx, nginx-pair, haproxy, plain-scg, gateway,
                               mesh-node, mesh-node-hop, mesh-node-hop-policies, gateway-to-node, plain-scg-10000-routes,
                               gateway-10000-routes, mesh-node-hop-10000-clusters, startup: the start-up comparison,
                               class archive as ./mesh up records it and JDK 25)
              --profile        after its measured windows, one more saturation window per JVM contender with
                               async-profiler sampling each of its processes: flame graphs in the run's directory,
                               where the CPU goes in the report (no reported figure includes the profiler's cost)
              --no-build       use the jars as they are, even when older than their sources
              --java=<path>    java executable for the JVM contenders (default: the one running this)
              --jdk25=<path>   JDK 25 java for the start-up comparison (default: /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
              --out=<dir>      where the report goes (default: src/bench/results)
              --baseline=<file>  a previous run's JSON to compare with (default: latest.json, or quick.json in
                               quick mode, as found in the output directory before this run replaces it);
                               --baseline=none for no comparison
              --home=<dir>     the repository (default: found from the working directory)
            """;

    public static BenchOptions parse(String... args) {
        boolean quick = false;
        boolean build = true;
        boolean help = false;
        boolean profile = false;
        List<String> only = new ArrayList<>();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        Path out = null;
        Path home = null;
        Path baseline = null;
        boolean compareWithBaseline = true;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.equals("--profile")) {
                profile = true;
            } else if (arg.equals("--no-build")) {
                build = false;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.startsWith("--only=")) {
                for (String id : arg.substring("--only=".length()).split(",")) {
                    if (!id.isBlank()) {
                        only.add(id.trim());
                    }
                }
            } else if (arg.startsWith("--java=")) {
                java = Path.of(value(arg));
            } else if (arg.startsWith("--jdk25=")) {
                jdk25 = Path.of(value(arg));
            } else if (arg.startsWith("--out=")) {
                out = Path.of(value(arg));
            } else if (arg.equals("--baseline=none")) {
                compareWithBaseline = false;
                baseline = null;
            } else if (arg.startsWith("--baseline=")) {
                compareWithBaseline = true;
                baseline = Path.of(value(arg));
            } else if (arg.startsWith("--home=")) {
                home = Path.of(value(arg));
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return new BenchOptions(quick, List.copyOf(only), profile, build, java, jdk25, out, home, baseline, compareWithBaseline, help);
    }

    private static String value(String arg) {
        String value = arg.substring(arg.indexOf('=') + 1);
        if (value.isBlank()) {
            throw new IllegalArgumentException(arg + " needs a value");
        }
        return value;
    }

    public boolean selected(String id) {
        return only.isEmpty() || only.contains(id);
    }
}
