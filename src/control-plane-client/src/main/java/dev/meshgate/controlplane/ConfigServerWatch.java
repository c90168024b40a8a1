package dev.meshgate.controlplane;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * This application's link to the config server, reported as the {@code configServer} health component.
 *
 * <p>Every deployable imports its configuration as {@code optional:configserver:}, so it starts on its
 * built-in defaults when the config server is unreachable. This reports that as
 * {@link MeshHealth#DEGRADED} (answered 200: the process serves), keeps probing the config server, and
 * once it answers, reloads the configuration in place: the start-up order of the control plane stops
 * mattering. Only the start-up is watched: configuration once loaded stays in force through a later
 * config server outage, and the component stays UP.
 *
 * <p>Switched off by {@code mesh.config-server.watch.enabled=false}, and with the config client itself
 * ({@code spring.cloud.config.enabled=false}: the built-in configuration is then a choice, nothing to
 * report or retry). The watch reads both switches when asked, not through bean conditions: a mesh-node's
 * bean definitions are generated at build time (Spring AOT), where a condition would be frozen.
 *
 * <p>A plain (blocking) indicator works on both web stacks; {@link #health()} only reads the
 * environment, so it never blocks.
 */
public class ConfigServerWatch implements HealthIndicator, ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConfigServerWatch.class);
    /** The config client names each document it loaded "configserver:<document>" and adds "configClient". */
    static final String LOADED_PREFIX = "configserver:";
    static final String LOADED_MARKER = "configClient";
    /** The repository's commit; a native (on-disk) repository has none. */
    static final String LOADED_VERSION = "config.client.version";
    static final String CONFIG_CLIENT_ENABLED = "spring.cloud.config.enabled";

    private final ConfigurableEnvironment environment;
    private final ConfigServerProperties properties;
    private final ConfigServerProbe probe;
    private final Supplier<Set<String>> reloadConfiguration;
    private volatile Disposable retries;
    private volatile boolean stopped;
    private volatile String lastError = "not contacted since start-up";

    /**
     * @param reloadConfiguration re-imports the configuration into {@code environment} and rebinds what
     *                            depends on it, answering the keys that changed (a {@code ContextRefresher})
     */
    public ConfigServerWatch(ConfigurableEnvironment environment, ConfigServerProperties properties,
            ConfigServerProbe probe, Supplier<Set<String>> reloadConfiguration) {
        this.environment = environment;
        this.properties = properties;
        this.probe = probe;
        this.reloadConfiguration = reloadConfiguration;
    }

    /** Whether this watch is switched on: by its own switch and with the config client on. */
    public boolean watched() {
        return properties.watch().enabled() && environment.getProperty(CONFIG_CLIENT_ENABLED, Boolean.class, true);
    }

    /** Whether the running configuration came from the config server (at start-up or by a later reload). */
    public boolean loaded() {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source.getName().equals(LOADED_MARKER) || source.getName().startsWith(LOADED_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Health health() {
        if (!watched()) {
            return Health.up()
                    .withDetail("watched", false)
                    .withDetail("configuration", properties.watch().enabled()
                            ? "the config client is off (" + CONFIG_CLIENT_ENABLED + "=false)"
                            : "not watched (mesh.config-server.watch.enabled=false)")
                    .build();
        }
        if (loaded()) {
            Health.Builder up = Health.up()
                    .withDetail("url", properties.url())
                    .withDetail("documents", loadedDocuments());
            String version = environment.getProperty(LOADED_VERSION);
            if (version != null) {
                up.withDetail("version", version);
            }
            return up.build();
        }
        return Health.status(MeshHealth.DEGRADED)
                .withDetail("url", properties.url())
                .withDetail("configuration", "running on built-in defaults: the config server was not reached at start-up")
                .withDetail("retryEvery", properties.retryInterval().toString())
                .withDetail("lastError", lastError)
                .build();
    }

    private List<String> loadedDocuments() {
        return environment.getPropertySources().stream()
                .map(PropertySource::getName)
                .filter(name -> name.startsWith(LOADED_PREFIX))
                .toList();
    }

    /** Retries start once the application is ready, so a reload never races the start-up itself. */
    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        startRetrying();
    }

    synchronized void startRetrying() {
        if (stopped || retries != null || !watched() || loaded()) {
            return;
        }
        log.warn("Config server {} was not reached at start-up: running on built-in defaults, retrying every {}",
                properties.url(), properties.retryInterval());
        retries = reloadOnceReachable().subscribe(
                changed -> log.info("Config server {} answered: configuration reloaded, {} keys changed",
                        properties.url(), changed.size()),
                failure -> log.error("Watching config server {} stopped", properties.url(), failure));
    }

    /** Whether the watch is still probing a config server it has not loaded from. */
    public boolean retrying() {
        Disposable pending = retries;
        return pending != null && !pending.isDisposed();
    }

    /**
     * Probes every retry interval; each time the config server answers, reloads, and completes with the
     * changed keys once the configuration came from it. A probe still running when the next one is due
     * makes that one be skipped, never queued.
     */
    Mono<Set<String>> reloadOnceReachable() {
        return Flux.interval(properties.retryInterval(), properties.retryInterval())
                .onBackpressureDrop()
                .concatMap(tick -> reachable(), 1)
                .filter(Boolean::booleanValue)
                .concatMap(reachable -> reload(), 1)
                .filter(changed -> loaded())
                .next();
    }

    private Mono<Boolean> reachable() {
        return probe.probe()
                .thenReturn(true)
                .onErrorResume(failure -> {
                    lastError = String.valueOf(failure.getMessage());
                    return Mono.just(false);
                });
    }

    /** The reload blocks (it re-imports and rebinds), so it runs off the timer's thread. */
    private Mono<Set<String>> reload() {
        return Mono.fromSupplier(reloadConfiguration)
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(failure -> {
                    lastError = "reloading the configuration failed: " + failure.getMessage();
                    log.warn("Config server {} answered but reloading the configuration failed; retrying",
                            properties.url(), failure);
                    return Mono.empty();
                });
    }

    @Override
    public synchronized void destroy() {
        stopped = true;
        Disposable pending = retries;
        if (pending != null) {
            pending.dispose();
        }
    }
}
