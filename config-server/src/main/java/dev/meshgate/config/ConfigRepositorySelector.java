package dev.meshgate.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the mesh's one-property contract into Spring Cloud Config Server's backend settings, so an
 * operator never has to know about the {@code native} / {@code git} profiles:
 *
 * <ul>
 *   <li>{@code mesh.config.git-uri} set (or {@code MESH_CONFIG_GIT_URI}): the {@code git} backend,
 *       cloned at start-up, default label {@code main}, optional {@code mesh.config.git-search-paths};</li>
 *   <li>otherwise: the {@code native} backend over {@code mesh.config.repo} (default
 *       {@code src/config-repo}, resolved against the working directory), which needs no network; a
 *       path that is not a directory stops start-up.</li>
 * </ul>
 *
 * <p>It runs after config data is loaded so the mesh properties may come from any source, and its
 * derived settings sit at the lowest precedence: an explicit {@code spring.cloud.config.server.*}
 * setting still wins.
 */
public class ConfigRepositorySelector implements EnvironmentPostProcessor, Ordered {

    public static final String GIT_URI = "mesh.config.git-uri";
    public static final String GIT_SEARCH_PATHS = "mesh.config.git-search-paths";
    public static final String GIT_DEFAULT_LABEL = "mesh.config.git-default-label";
    public static final String REPO = "mesh.config.repo";
    public static final String DEFAULT_REPO = "src/config-repo";
    static final String PROPERTY_SOURCE_NAME = "meshConfigRepository";

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> derived = new LinkedHashMap<>();
        String gitUri = environment.getProperty(GIT_URI);
        if (StringUtils.hasText(gitUri)) {
            environment.addActiveProfile("git");
            derived.put("spring.cloud.config.server.git.uri", gitUri.trim());
            derived.put("spring.cloud.config.server.git.clone-on-start", "true");
            derived.put("spring.cloud.config.server.git.default-label",
                    environment.getProperty(GIT_DEFAULT_LABEL, "main"));
            // Otherwise any failure on main is retried on "master" and reported as "No such label: master".
            derived.put("spring.cloud.config.server.git.try-master-branch", "false");
            String searchPaths = environment.getProperty(GIT_SEARCH_PATHS);
            if (StringUtils.hasText(searchPaths)) {
                derived.put("spring.cloud.config.server.git.search-paths", searchPaths);
            }
        } else {
            environment.addActiveProfile("native");
            derived.put("spring.cloud.config.server.native.search-locations",
                    nativeSearchLocation(environment.getProperty(REPO, DEFAULT_REPO)));
        }
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, derived));
    }

    /**
     * A directory as a {@code file:} location; the trailing slash makes the server treat it as a folder.
     * A path that is not a directory stops start-up: serving it would answer every application with an
     * empty configuration, silently.
     */
    static String nativeSearchLocation(String repo) {
        Path directory = Path.of(repo.trim()).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new ConfigRepositoryNotFoundException(repo, directory);
        }
        String uri = directory.toUri().toString();
        return uri.endsWith("/") ? uri : uri + "/";
    }
}
