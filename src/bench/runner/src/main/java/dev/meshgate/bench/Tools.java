package dev.meshgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The external programs the suite drives, found on the PATH (and in /usr/sbin, where Debian puts
 * nginx and haproxy). Nothing is installed: a missing one is named with the Debian package that has it.
 */
public final class Tools {

    /** Program name to Debian package. */
    static final Map<String, String> PACKAGES = new LinkedHashMap<>(Map.of(
            "wrk", "wrk",
            "nginx", "nginx",
            "haproxy", "haproxy"));

    private final Map<String, Path> found;

    private Tools(Map<String, Path> found) {
        this.found = found;
    }

    public static Tools locate() {
        Map<String, Path> found = new LinkedHashMap<>();
        for (String program : PACKAGES.keySet()) {
            find(program).ifPresent(path -> found.put(program, path));
        }
        return new Tools(found);
    }

    /** The missing programs and how to get them, or empty when all are there. */
    public Optional<String> missing() {
        List<String> programs = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        PACKAGES.forEach((program, pkg) -> {
            if (!found.containsKey(program)) {
                programs.add(program);
                packages.add(pkg);
            }
        });
        if (programs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("missing: " + String.join(", ", programs) + ". Install with: sudo apt-get install -y "
                + String.join(" ", packages) + " (Debian/Ubuntu package names)");
    }

    public String path(String program) {
        Path path = found.get(program);
        if (path == null) {
            throw new BenchException(program + " is not installed: sudo apt-get install -y " + PACKAGES.get(program));
        }
        return path.toString();
    }

    static Optional<Path> find(String program) {
        List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        directories.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        return directories.stream().filter(directory -> !directory.isBlank())
                .map(directory -> Path.of(directory, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
