package dev.meshgate.config;

import org.springframework.cloud.config.server.environment.SearchPathLocator;
import org.springframework.util.StringUtils;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds which document of a request's environment is not valid YAML. The config server's own error
 * says only "in 'reader', line 4": this re-reads the files the request would have read, in the
 * locations the backend resolved (the native directory or the git working copy), and names the file.
 */
final class BrokenDocumentLocator {

    private static final List<String> EXTENSIONS = List.of(".yml", ".yaml");

    private BrokenDocumentLocator() {
    }

    /** The first candidate document that does not parse, or empty when every one parses. */
    static Optional<BrokenDocument> locate(List<? extends SearchPathLocator> locators, String application,
            String profiles, String label) {
        for (SearchPathLocator locator : locators) {
            for (String location : locator.getLocations(application, profiles, label).getLocations()) {
                Optional<Path> directory = asDirectory(location);
                if (directory.isEmpty()) {
                    continue;
                }
                for (String fileName : candidateFileNames(application, profiles)) {
                    Optional<BrokenDocument> broken = parse(directory.get().resolve(fileName));
                    if (broken.isPresent()) {
                        return broken;
                    }
                }
            }
        }
        return Optional.empty();
    }

    static Set<String> candidateFileNames(String applications, String profiles) {
        List<String> names = new ArrayList<>();
        names.add("application");
        names.addAll(List.of(StringUtils.commaDelimitedListToStringArray(applications)));
        Set<String> candidates = new LinkedHashSet<>();
        for (String name : names) {
            for (String extension : EXTENSIONS) {
                candidates.add(name.trim() + extension);
                for (String profile : StringUtils.commaDelimitedListToStringArray(profiles)) {
                    candidates.add(name.trim() + "-" + profile.trim() + extension);
                }
            }
        }
        return candidates;
    }

    static Optional<BrokenDocument> parse(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (Object ignored : yaml.loadAll(reader)) {
                // loading every document is the check
            }
            return Optional.empty();
        } catch (MarkedYAMLException e) {
            return Optional.of(BrokenDocument.of(file, e));
        } catch (IOException | RuntimeException e) {
            return Optional.of(new BrokenDocument(file, 0, 0, String.valueOf(e.getMessage())));
        }
    }

    private static Optional<Path> asDirectory(String location) {
        if (!location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(URI.create(location.replace("file:///", "file:/")));
            return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A document that failed to parse: where (1-based line and column, 0 when unknown) and why. */
    record BrokenDocument(Path file, int line, int column, String problem) {

        static BrokenDocument of(Path file, MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            if (e.getContext() != null && e.getProblem() != null) {
                problem = e.getContext() + ": " + e.getProblem();
            }
            return new BrokenDocument(file, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, problem);
        }

        String describe() {
            String where = line > 0 ? " at line " + line + ", column " + column : "";
            return "configuration document " + file.getFileName() + " is not valid YAML" + where + ": " + problem
                    + " (" + file + ")";
        }
    }
}
