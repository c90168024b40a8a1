package dev.meshgate.controlplane;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConfigServerWatchTest {

    private static final Duration RETRY = Duration.ofMillis(50);

    private final StandardEnvironment environment = new StandardEnvironment();
    private final AtomicInteger reloads = new AtomicInteger();
    private FakeConfigServer configServer;
    private ConfigServerWatch watch;

    @AfterEach
    void stop() {
        if (watch != null) {
            watch.destroy();
        }
        if (configServer != null) {
            configServer.close();
        }
    }

    @Test
    void upWithTheLoadedDocumentsAndVersionWhenConfiguredFromTheConfigServer() {
        loadFromConfigServer();
        environment.getPropertySources().addFirst(new MapPropertySource(ConfigServerWatch.LOADED_MARKER,
                Map.of(ConfigServerWatch.LOADED_VERSION, "4f2a9c1")));
        watch = watch(() -> Mono.error(new AssertionError("a loaded application never probes")));

        watch.startRetrying();
        Health health = watch.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("url", "http://10.0.0.1:8888")
                .containsEntry("documents", List.of("configserver:file:/repo/app.yml"))
                .containsEntry("version", "4f2a9c1");
        assertThat(watch.retrying()).isFalse();
    }

    @Test
    void aDocumentFromAnOnDiskRepositoryWithoutVersionCountsAsLoaded() {
        loadFromConfigServer();
        watch = watch(Mono::empty);

        Health health = watch.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).doesNotContainKey("version");
    }

    @Test
    void degradedWithTheReasonWhileTheConfigServerDoesNotAnswer() {
        configServer = new FakeConfigServer();
        configServer.answer(503);
        watch = httpWatch();

        watch.startRetrying();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat((String) watch.health().getDetails().get("lastError")).endsWith("/app/default answered 503"));
        Health health = watch.health();
        assertThat(health.getStatus()).isEqualTo(MeshHealth.DEGRADED);
        assertThat(health.getDetails()).containsEntry("url", configServer.url())
                .containsEntry("retryEvery", "PT0.05S");
        assertThat((String) health.getDetails().get("configuration")).contains("running on built-in defaults");
        assertThat(watch.retrying()).isTrue();
        assertThat(reloads).hasValue(0);
    }

    @Test
    void reloadsExactlyOnceWhenTheConfigServerStartsAnsweringAndThenStopsProbing() {
        configServer = new FakeConfigServer();
        watch = httpWatch();
        watch.startRetrying();
        await().atMost(Duration.ofSeconds(5)).until(() -> configServer.requests() >= 2);
        assertThat(reloads).hasValue(0);

        configServer.comeUp();

        await().atMost(Duration.ofSeconds(5)).until(() -> !watch.retrying());
        assertThat(reloads).hasValue(1);
        assertThat(watch.health().getStatus()).isEqualTo(Status.UP);
        assertThat(watch.health().getDetails()).containsEntry("documents", List.of("configserver:file:/repo/app.yml"));
    }

    @Test
    void keepsProbingWhenAReloadDidNotLoadFromTheConfigServer() {
        Deque<Runnable> reloadEffects = new ArrayDeque<>();
        reloadEffects.add(() -> { });
        reloadEffects.add(this::loadFromConfigServer);
        ConfigServerWatch scripted = new ConfigServerWatch(environment, properties("http://10.0.0.1:8888"),
                Mono::empty, () -> {
                    reloads.incrementAndGet();
                    reloadEffects.removeFirst().run();
                    return Set.of("mesh.proxy.idle-timeout");
                });

        StepVerifier.withVirtualTime(scripted::reloadOnceReachable)
                .expectSubscription()
                .expectNoEvent(RETRY.minusMillis(1))
                .thenAwait(RETRY)
                .then(() -> assertThat(reloads).hasValue(1))
                .thenAwait(RETRY)
                .expectNext(Set.of("mesh.proxy.idle-timeout"))
                .verifyComplete();
        assertThat(reloads).hasValue(2);
    }

    @Test
    void aFailedProbeWaitsForTheNextIntervalAndRecordsWhy() {
        Deque<Mono<Void>> answers = new ArrayDeque<>();
        answers.add(Mono.error(new IllegalStateException("GET http://10.0.0.1:8888/app/default failed: Connection refused")));
        answers.add(Mono.empty());
        ConfigServerWatch scripted = new ConfigServerWatch(environment, properties("http://10.0.0.1:8888"),
                () -> answers.removeFirst(), () -> {
                    reloads.incrementAndGet();
                    loadFromConfigServer();
                    return Set.of();
                });

        StepVerifier.withVirtualTime(scripted::reloadOnceReachable)
                .expectSubscription()
                .thenAwait(RETRY)
                .then(() -> {
                    assertThat(reloads).hasValue(0);
                    assertThat((String) scripted.health().getDetails().get("lastError")).endsWith("Connection refused");
                })
                .thenAwait(RETRY)
                .expectNext(Set.of())
                .verifyComplete();
        assertThat(reloads).hasValue(1);
    }

    @Test
    void switchedOffItNeverProbesAndSaysSoWhateverTheConfigServerDoes() {
        environment.getPropertySources().addFirst(new MapPropertySource("switches", Map.of("spring.cloud.config.enabled", "false")));
        watch = watch(() -> Mono.error(new AssertionError("a switched-off watch never probes")));

        watch.startRetrying();

        assertThat(watch.watched()).isFalse();
        assertThat(watch.retrying()).isFalse();
        assertThat(watch.health().getStatus()).isEqualTo(Status.UP);
        assertThat(watch.health().getDetails()).containsEntry("watched", false);
        ConfigServerWatch ownSwitch = new ConfigServerWatch(new StandardEnvironment(),
                new ConfigServerProperties("http://10.0.0.1:8888", RETRY, new ConfigServerProperties.Watch(false)),
                () -> Mono.error(new AssertionError("a switched-off watch never probes")), this::reload);
        ownSwitch.startRetrying();
        assertThat(ownSwitch.retrying()).isFalse();
        assertThat(ownSwitch.watched()).isFalse();
        assertThat(reloads).hasValue(0);
    }

    @Test
    void stopsProbingWhenTheApplicationShutsDown() {
        configServer = new FakeConfigServer();
        watch = httpWatch();
        watch.startRetrying();
        assertThat(watch.retrying()).isTrue();

        watch.destroy();

        assertThat(watch.retrying()).isFalse();
        watch.startRetrying();
        assertThat(watch.retrying()).isFalse();
    }

    private ConfigServerWatch httpWatch() {
        ConfigServerProperties properties = properties(configServer.url());
        return new ConfigServerWatch(environment, properties,
                HttpConfigServerProbe.forApplication(properties.url(), "app", Duration.ofSeconds(1)), this::reload);
    }

    private ConfigServerWatch watch(ConfigServerProbe probe) {
        return new ConfigServerWatch(environment, properties("http://10.0.0.1:8888"), probe, this::reload);
    }

    /** What a ContextRefresher does once the config server answers: its documents join the environment. */
    private Set<String> reload() {
        reloads.incrementAndGet();
        loadFromConfigServer();
        return Set.of("mesh.proxy.idle-timeout");
    }

    private void loadFromConfigServer() {
        environment.getPropertySources().addFirst(new MapPropertySource("configserver:file:/repo/app.yml",
                Map.of("mesh.proxy.idle-timeout", "60s")));
    }

    private static ConfigServerProperties properties(String url) {
        return new ConfigServerProperties(url, RETRY, new ConfigServerProperties.Watch(true));
    }
}
