package dev.meshgate.config;

import java.nio.file.Path;

/** The on-disk config repository named by {@code mesh.config.repo} is not a directory. */
public class ConfigRepositoryNotFoundException extends IllegalStateException {

    private final String configured;
    private final Path resolved;

    public ConfigRepositoryNotFoundException(String configured, Path resolved) {
        super("mesh.config.repo=" + configured + " resolves to " + resolved + ", which is not a directory");
        this.configured = configured;
        this.resolved = resolved;
    }

    public String configured() {
        return configured;
    }

    public Path resolved() {
        return resolved;
    }
}
