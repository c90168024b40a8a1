package dev.meshgate.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.nio.file.Path;

/** Turns a missing config repository into the start-up report an operator can act on. */
class ConfigRepositoryNotFoundFailureAnalyzer extends AbstractFailureAnalyzer<ConfigRepositoryNotFoundException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigRepositoryNotFoundException cause) {
        String description = "The config repository mesh.config.repo=" + cause.configured() + " resolves to "
                + cause.resolved() + " (working directory " + Path.of("").toAbsolutePath()
                + "), which is not a directory. Serving it would answer every application with no configuration.";
        String action = "Start the config server from the repository root, or pass --mesh.config.repo=<path of the "
                + "config repository>, or --mesh.config.git-uri=<git URI> to serve a git repository instead.";
        return new FailureAnalysis(description, action, cause);
    }
}
