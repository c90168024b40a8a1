package dev.meshgate.node.admin;

import dev.meshgate.node.MeshNodeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationListener;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Whether the node's own app serves, probed every {@code mesh.app.health.interval}: the {@code app}
 * health component, part of the node's readiness, and the signal that takes the node out of the
 * registry's rotation while its app is dead or hung (and back once it answers), so callers stop
 * choosing an endpoint whose node is alive but whose app is not. UNKNOWN until the first probe
 * decides, which never unreadies a node on its own.
 */
public final class AppHealthWatch implements HealthIndicator, ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    /** One probe of the app: completes when it serves, fails with why it does not. */
    @FunctionalInterface
    public interface Probe {
        Mono<Void> probe();
    }

    private enum State { UNKNOWN, UP, DOWN }

    private static final Logger log = LoggerFactory.getLogger(AppHealthWatch.class);

    private final MeshNodeProperties.AppHealth settings;
    private final String target;
    private final Probe probe;
    private final Scheduler scheduler;
    private volatile Consumer<Boolean> onChange = serving -> { };
    private volatile Disposable running;
    private volatile State state = State.UNKNOWN;
    private volatile String lastFailure;
    private int failuresInARow;
    private int successesInARow;

    /** @param target what is probed, for the health details and the log ({@code http://127.0.0.1:8080/}) */
    public AppHealthWatch(MeshNodeProperties.AppHealth settings, String target, Probe probe, Scheduler scheduler) {
        this.settings = settings;
        this.target = target;
        this.probe = probe;
        this.scheduler = scheduler;
    }

    /** Called with false when the app stops serving, true when it serves again. */
    public void onChange(Consumer<Boolean> listener) {
        this.onChange = listener;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        start();
    }

    /** Starts probing, the first probe at once; a second call while running is ignored. */
    public synchronized void start() {
        if (!settings.enabled() || (running != null && !running.isDisposed())) {
            return;
        }
        Duration timeout = settings.timeout();
        running = Flux.interval(Duration.ZERO, settings.interval(), scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> probe.probe().timeout(timeout, scheduler)
                        .then(Mono.<String>empty())
                        .onErrorResume(failure -> Mono.just(describe(failure, timeout)))
                        .defaultIfEmpty(""), 1)
                .subscribe(this::record);
    }

    private static String describe(Throwable failure, Duration timeout) {
        if (failure instanceof java.util.concurrent.TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    }

    /** @param failure empty when the probe succeeded */
    private synchronized void record(String failure) {
        if (failure.isEmpty()) {
            failuresInARow = 0;
            successesInARow++;
            if (state != State.UP && (state == State.UNKNOWN || successesInARow >= settings.healthyThreshold())) {
                transition(State.UP);
            }
            return;
        }
        lastFailure = failure;
        successesInARow = 0;
        failuresInARow++;
        if (state != State.DOWN && failuresInARow >= settings.unhealthyThreshold()) {
            transition(State.DOWN);
        }
    }

    private void transition(State next) {
        State before = state;
        state = next;
        if (next == State.DOWN) {
            log.warn("The app at {} does not serve ({}, {} probes in a row): the node leaves rotation", target, lastFailure,
                    failuresInARow);
        } else if (before == State.DOWN) {
            log.info("The app at {} serves again: the node rejoins rotation", target);
        }
        if (before != State.UNKNOWN || next == State.DOWN) {
            onChange.accept(next == State.UP);
        }
    }

    /** Whether the app serves, as far as the probes know; true until they say otherwise. */
    public boolean serving() {
        return state != State.DOWN;
    }

    @Override
    public Health health() {
        if (!settings.enabled()) {
            return Health.up().withDetail("probe", "off (mesh.app.health.enabled=false)").build();
        }
        Health.Builder health = switch (state) {
            case UNKNOWN -> Health.unknown();
            case UP -> Health.up();
            case DOWN -> Health.down().withDetail("failure", lastFailure);
        };
        return health.withDetail("target", target).withDetail("interval", settings.interval().toString()).build();
    }

    @Override
    public synchronized void destroy() {
        Disposable loop = running;
        if (loop != null) {
            loop.dispose();
        }
    }
}
