package dev.meshgate.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One process of the topology: {@code java <jvmOptions> -jar <jar> <args>}, ready when every health
 * URL answers 200, its output in {@code logFile}.
 */
public record ProcessSpec(
        String name,
        Role role,
        Path jar,
        List<String> jvmOptions,
        List<String> args,
        List<URI> healthUrls,
        Path logFile,
        List<PortClaim> ports) {

    public ProcessSpec {
        jvmOptions = List.copyOf(jvmOptions);
        args = List.copyOf(args);
        healthUrls = List.copyOf(healthUrls);
        ports = List.copyOf(ports);
        if (healthUrls.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one health URL");
        }
    }

    /** The same process with {@code option} before its other JVM options, so that any of theirs still wins. */
    public ProcessSpec withJvmOptionFirst(String option) {
        List<String> options = new ArrayList<>();
        options.add(option);
        options.addAll(jvmOptions);
        return new ProcessSpec(name, role, jar, options, args, healthUrls, logFile, ports);
    }

    /** The command line, starting with the given java executable. */
    public List<String> command(Path javaExecutable) {
        return command(javaExecutable, jar);
    }

    /** The command line running {@code runnableJar} (a copy of {@link #jar()}). */
    public List<String> command(Path javaExecutable, Path runnableJar) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(runnableJar.toString());
        command.addAll(args);
        return command;
    }

    /** The port the process is best known by (its admin port for a mesh-node, its first app port for the samples). */
    public int mainPort() {
        return ports.get(0).port();
    }
}
