package dev.meshgate.node.discovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps this node registered: registers, retrying with exponential backoff (capped at the heartbeat
 * interval) while the registry is unreachable; then renews the lease every heartbeat interval and
 * re-registers whenever the registry answers that it forgot the instance (a registry restart, an
 * expired lease). Nothing here ever throws into the caller or blocks start-up; failures are
 * recorded in {@link RegistryStatus} and retried.
 */
public final class EurekaRegistrar {

    /** What one step of the loop achieved; the loop emits one per registry request. */
    public enum Outcome { REGISTERED, RENEWED, REREGISTERED, FAILED }

    private static final Logger log = LoggerFactory.getLogger(EurekaRegistrar.class);

    private final RegistryApi registry;
    private final RegistryStatus status;
    private final Duration heartbeatInterval;
    private final Duration firstRetryDelay;
    private final Scheduler scheduler;

    private volatile Disposable running;
    private volatile InstanceRegistration registered;
    private volatile boolean failing;
    /** Whether the node's app serves: the status the registry should show for it. */
    private volatile boolean inService = true;
    /** The status the registry was last told; a fresh registration is in service. */
    private volatile boolean registryInService = true;

    /**
     * @param firstRetryDelay the wait before the first registration retry; it doubles per failure up
     *                        to the heartbeat interval
     * @param scheduler       where the waits run (a virtual-time scheduler in tests)
     */
    public EurekaRegistrar(RegistryApi registry, RegistryStatus status, Duration heartbeatInterval,
                           Duration firstRetryDelay, Scheduler scheduler) {
        if (firstRetryDelay.isNegative() || firstRetryDelay.isZero() || firstRetryDelay.compareTo(heartbeatInterval) > 0) {
            throw new IllegalArgumentException("firstRetryDelay must be positive and at most the heartbeat interval "
                    + heartbeatInterval + ", was " + firstRetryDelay);
        }
        this.registry = registry;
        this.status = status;
        this.heartbeatInterval = heartbeatInterval;
        this.firstRetryDelay = firstRetryDelay;
        this.scheduler = scheduler;
    }

    /**
     * The registration loop as a cold, endless {@link Flux}: registration attempts until one is
     * accepted, then a renewal every heartbeat interval. It never errors.
     */
    public Flux<Outcome> run(InstanceRegistration registration) {
        Flux<Outcome> heartbeats = Flux.interval(heartbeatInterval, scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> renewOnce(registration), 1);
        return registerUntilAccepted(registration).concatWith(heartbeats);
    }

    /** Starts the loop in the background; a second call while running is ignored. */
    public synchronized void start(InstanceRegistration registration) {
        if (running != null && !running.isDisposed()) {
            return;
        }
        registered = registration;
        log.info("Registering {} ({} at {}:{}) with the registry", registration.instanceId(),
                registration.appName(), registration.host(), registration.inboundPort());
        running = run(registration).subscribe();
    }

    /**
     * Stops renewing and removes the instance from the registry, waiting at most {@code timeout}: a
     * registry that does not answer must not hold up shutdown (the lease then simply expires).
     */
    public synchronized void stop(Duration timeout) {
        Disposable loop = running;
        InstanceRegistration registration = registered;
        if (loop == null || registration == null) {
            return;
        }
        loop.dispose();
        running = null;
        try {
            registry.deregister(registration).block(timeout);
            log.info("Deregistered {} from the registry", registration.instanceId());
        } catch (RuntimeException e) {
            log.warn("Could not deregister {} from the registry within {}; its lease will expire: {}",
                    registration.instanceId(), timeout, e.getMessage());
        } finally {
            status.deregistered();
        }
    }

    public boolean isRunning() {
        Disposable loop = running;
        return loop != null && !loop.isDisposed();
    }

    private Flux<Outcome> registerUntilAccepted(InstanceRegistration registration) {
        return Flux.defer(() -> {
            AtomicInteger failures = new AtomicInteger();
            return registerOnce(registration, Outcome.REGISTERED)
                    .expand(outcome -> outcome == Outcome.FAILED
                            ? Mono.delay(retryDelay(failures.incrementAndGet()), scheduler)
                                    .then(registerOnce(registration, Outcome.REGISTERED))
                            : Mono.empty());
        });
    }

    private Mono<Outcome> renewOnce(InstanceRegistration registration) {
        return registry.renew(registration)
                .flatMap(known -> known
                        ? succeeded(Outcome.RENEWED).flatMap(outcome -> applyInService(registration).thenReturn(outcome))
                        : reregister(registration))
                .onErrorResume(error -> failed("renew the lease of", registration, error));
    }

    private Mono<Outcome> reregister(InstanceRegistration registration) {
        log.info("The registry does not know {}; registering again", registration.instanceId());
        return registerOnce(registration, Outcome.REREGISTERED);
    }

    private Mono<Outcome> registerOnce(InstanceRegistration registration, Outcome success) {
        return registry.register(registration)
                .then(Mono.defer(() -> {
                    registryInService = true;
                    return succeeded(success);
                }))
                .flatMap(outcome -> applyInService(registration).thenReturn(outcome))
                .onErrorResume(error -> failed("register", registration, error));
    }

    /**
     * The node's app stopped serving ({@code false}) or serves again: the registry is told at once, and
     * again at each heartbeat until it has taken the change, so callers stop (or resume) choosing the node.
     */
    public void inService(boolean serving) {
        inService = serving;
        InstanceRegistration registration = registered;
        if (registration != null && isRunning()) {
            applyInService(registration).subscribe();
        }
    }

    private Mono<Void> applyInService(InstanceRegistration registration) {
        return Mono.defer(() -> {
            boolean wanted = inService;
            if (wanted == registryInService) {
                return Mono.empty();
            }
            return registry.setInService(registration, wanted)
                    .doOnSuccess(done -> {
                        registryInService = wanted;
                        log.info("{} is {} in the registry", registration.instanceId(), wanted ? "UP again" : "OUT_OF_SERVICE");
                    })
                    .onErrorResume(error -> {
                        log.warn("Could not set {} {} in the registry (retried at the next heartbeat): {}",
                                registration.instanceId(), wanted ? "UP" : "OUT_OF_SERVICE", error.getMessage());
                        return Mono.empty();
                    });
        });
    }

    private Mono<Outcome> succeeded(Outcome outcome) {
        status.registered();
        if (failing || outcome == Outcome.REGISTERED) {
            log.info("{} with the registry", outcome == Outcome.RENEWED ? "Lease renewed again" : "Registered");
        }
        failing = false;
        return Mono.just(outcome);
    }

    private Mono<Outcome> failed(String action, InstanceRegistration registration, Throwable error) {
        status.registrationFailed(error);
        if (!failing) {
            log.warn("Could not {} {} with the registry (retrying; the node keeps serving): {}",
                    action, registration.instanceId(), error.getMessage());
        } else {
            log.debug("Could not {} {} with the registry: {}", action, registration.instanceId(), error.getMessage());
        }
        failing = true;
        return Mono.just(Outcome.FAILED);
    }

    /** Exponential from the first delay, capped at the heartbeat interval, with up to half of it as jitter. */
    Duration retryDelay(int failures) {
        long first = firstRetryDelay.toMillis();
        long cap = heartbeatInterval.toMillis();
        long exponential = failures >= 30 ? cap : Math.min(cap, first << (failures - 1));
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        return Duration.ofMillis(Math.max(1, jittered));
    }
}
