package dev.meshgate.gateway.controlplane;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The gateway's link to the config server, reported as the {@code configServer} health component.
 *
 * <p>The gateway imports its configuration as {@code optional:}, so it starts on its built-in defaults
 * (no routes) when the config server is unreachable. This reports that as DOWN, keeps probing the
 * config server, and once it answers, reloads the configuration in place, which rebuilds the routes:
 * the start-up order of the control plane stops mattering. Readiness does not include this component,
 * so the edge is never taken out of service for it.
 */
@Component("configServerHealthIndicator")
public class ConfigServerWatch implements ReactiveHealthIndicator, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConfigServerWatch.class);
    /** The config client names what it loaded "configserver:<document>" and adds "configClient". */
    static final String LOADED_PREFIX = "configserver:";
    static final String LOADED_MARKER = "configClient";
    /** The repository's commit; a native (on-disk) repository has none. */
    static final String LOADED_VERSION = "config.client.version";

    private final ConfigurableEnvironment environment;
    private final ContextRefresher refresher;
    private final String url;
    private final String application;
    private final Duration retryInterval;
    private final HttpClient probeClient;
    private volatile Disposable retries;
    private volatile String lastError = "not contacted yet";

    public ConfigServerWatch(ConfigurableEnvironment environment, ContextRefresher refresher,
            @Value("${mesh.config-server.url:http://127.0.0.1:8888}") String url,
            @Value("${spring.application.name:gateway}") String application,
            @Value("${mesh.config-server.retry-interval:5s}") Duration retryInterval) {
        this.environment = environment;
        this.refresher = refresher;
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.application = application;
        this.retryInterval = retryInterval;
        this.probeClient = HttpClient.create().responseTimeout(Duration.ofSeconds(2));
    }

    /** Whether the running configuration came from the config server (at start-up or by a later reload). */
    public boolean loaded() {
        return environment.getPropertySources().contains(LOADED_MARKER);
    }

    private List<String> loadedDocuments() {
        return environment.getPropertySources().stream()
                .map(PropertySource::getName)
                .filter(name -> name.startsWith(LOADED_PREFIX))
                .toList();
    }

    @EventListener(ApplicationReadyEvent.class)
    void retryWhenStartedWithoutConfigServer() {
        if (loaded() || retries != null) {
            return;
        }
        log.warn("Config server {} was unreachable at start-up: running on built-in defaults, retrying every {}",
                url, retryInterval);
        retries = Flux.interval(retryInterval, retryInterval)
                .concatMap(tick -> probe())
                .filter(Boolean::booleanValue)
                .next()
                .publishOn(Schedulers.boundedElastic())
                .map(reachable -> refresher.refresh())
                .subscribe(this::reloaded, failure -> log.error("Reloading configuration failed", failure));
    }

    private void reloaded(Set<String> changedKeys) {
        log.info("Config server {} reachable: configuration reloaded, {} keys changed", url, changedKeys.size());
    }

    /** One GET of this application's environment; true when the config server answers it. */
    private Mono<Boolean> probe() {
        return probeClient.get()
                .uri(url + "/" + application + "/default")
                .responseSingle((response, body) -> body.then(Mono.just(response.status())))
                .map(status -> {
                    if (status.equals(HttpResponseStatus.OK)) {
                        return true;
                    }
                    lastError = "answered " + status;
                    return false;
                })
                .onErrorResume(failure -> {
                    lastError = String.valueOf(failure.getMessage());
                    return Mono.just(false);
                });
    }

    @Override
    public Mono<Health> health() {
        if (loaded()) {
            Health.Builder up = Health.up().withDetail("url", url).withDetail("documents", loadedDocuments());
            String version = environment.getProperty(LOADED_VERSION);
            if (version != null) {
                up.withDetail("version", version);
            }
            return Mono.just(up.build());
        }
        return Mono.just(Health.down()
                .withDetail("url", url)
                .withDetail("configuration", "built-in defaults: the config server was unreachable at start-up")
                .withDetail("retryEvery", retryInterval.toString())
                .withDetail("lastError", lastError)
                .build());
    }

    @Override
    public void destroy() {
        Disposable pending = retries;
        if (pending != null) {
            pending.dispose();
        }
    }
}
