package dev.meshgate.node.discovery;

import dev.meshgate.core.balance.RoundRobin;
import dev.meshgate.core.discovery.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The service directory backed by the registry: a full fetch every refresh interval into an
 * immutable snapshot that readers see through one volatile read, plus on-demand lookups of clusters
 * the snapshot lacks. A cluster whose endpoints did not change keeps its {@link RoundRobin}, so the
 * rotation carries on across refreshes. When the registry is unreachable the last snapshot keeps
 * serving: stale endpoints beat none.
 */
public final class EurekaServiceDirectory implements ServiceDirectory, SmartLifecycle {

    /** Starts before the listeners (lower phases start first) so the first fetch is under way when traffic arrives. */
    public static final int PHASE = -1000;

    private static final Logger log = LoggerFactory.getLogger(EurekaServiceDirectory.class);

    private final RegistryApi registry;
    private final RegistryStatus status;
    private final Duration refreshInterval;
    private final Scheduler scheduler;
    private final Object snapshotWriteLock = new Object();
    private final ConcurrentHashMap<String, CompletableFuture<RoundRobin<Endpoint>>> lookupsInFlight = new ConcurrentHashMap<>();

    private volatile Map<String, RoundRobin<Endpoint>> clusters = Map.of();
    private volatile Disposable refreshing;
    private volatile boolean failing;

    public EurekaServiceDirectory(RegistryApi registry, RegistryStatus status, Duration refreshInterval, Scheduler scheduler) {
        this.registry = registry;
        this.status = status;
        this.refreshInterval = refreshInterval;
        this.scheduler = scheduler;
    }

    @Override
    public RoundRobin<Endpoint> cluster(String service) {
        return clusters.get(normalize(service));
    }

    @Override
    public CompletableFuture<RoundRobin<Endpoint>> lookup(String service) {
        String name = normalize(service);
        CompletableFuture<RoundRobin<Endpoint>> mine = new CompletableFuture<>();
        CompletableFuture<RoundRobin<Endpoint>> shared = lookupsInFlight.putIfAbsent(name, mine);
        if (shared != null) {
            // a copy, so one caller cancelling its future cannot fail the others
            return shared.copy();
        }
        registry.fetchCluster(name)
                .defaultIfEmpty(List.of())
                .subscribe(endpoints -> {
                    RoundRobin<Endpoint> cluster = merge(name, endpoints);
                    lookupsInFlight.remove(name, mine);
                    mine.complete(cluster);
                }, error -> {
                    recordFailure(error);
                    lookupsInFlight.remove(name, mine);
                    mine.completeExceptionally(error);
                });
        return mine.copy();
    }

    /** Every cluster currently known, by lower-case name. */
    public Map<String, RoundRobin<Endpoint>> snapshot() {
        return clusters;
    }

    /**
     * One full fetch, swapped into the snapshot; emits the number of known clusters. On failure the
     * snapshot stays as it was and the error is recorded and propagated.
     */
    public Mono<Integer> refresh() {
        return registry.fetchAll()
                .map(this::replaceAll)
                .doOnError(this::recordFailure);
    }

    /** The refresh loop: now, then every refresh interval; never errors, failures are recorded. */
    public Flux<Integer> refreshPeriodically() {
        return Flux.interval(Duration.ZERO, refreshInterval, scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(error -> Mono.empty()), 1);
    }

    @Override
    public synchronized void start() {
        if (!isRunning()) {
            refreshing = refreshPeriodically().subscribe();
        }
    }

    @Override
    public synchronized void stop() {
        Disposable loop = refreshing;
        if (loop != null) {
            try {
                loop.dispose();
            } catch (RejectedExecutionException e) {
                // the shared HTTP loops were disposed first at shutdown: the fetch in flight died with them
                log.debug("registry fetch in flight ended with its event loop: {}", e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        Disposable loop = refreshing;
        return loop != null && !loop.isDisposed();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private int replaceAll(Map<String, List<Endpoint>> fetched) {
        synchronized (snapshotWriteLock) {
            Map<String, RoundRobin<Endpoint>> current = clusters;
            Map<String, RoundRobin<Endpoint>> next = new HashMap<>(Math.max(16, (fetched.size() + current.size()) * 2));
            fetched.forEach((name, endpoints) -> next.put(name, reuseOrCreate(current.get(name), endpoints)));
            // A cluster the registry no longer lists has no instances left; keeping it as empty (not
            // unknown) spares the hot path a registry lookup per request.
            current.forEach((name, cluster) -> next.computeIfAbsent(name, absent -> reuseOrCreate(cluster, List.of())));
            clusters = Map.copyOf(next);
            status.fetched(next.size());
            if (failing) {
                log.info("Registry reachable again; {} clusters known", next.size());
                failing = false;
            }
            return next.size();
        }
    }

    private RoundRobin<Endpoint> merge(String name, List<Endpoint> endpoints) {
        synchronized (snapshotWriteLock) {
            Map<String, RoundRobin<Endpoint>> current = clusters;
            RoundRobin<Endpoint> existing = current.get(name);
            RoundRobin<Endpoint> cluster = reuseOrCreate(existing, endpoints);
            if (cluster != existing) {
                Map<String, RoundRobin<Endpoint>> next = new HashMap<>(current);
                next.put(name, cluster);
                clusters = Map.copyOf(next);
            }
            status.fetched(clusters.size());
            return cluster;
        }
    }

    private static RoundRobin<Endpoint> reuseOrCreate(RoundRobin<Endpoint> existing, List<Endpoint> endpoints) {
        if (existing != null && existing.choices().equals(endpoints)) {
            return existing;
        }
        // a random start, so the nodes of one service do not all send their first request to the same endpoint
        return new RoundRobin<>(endpoints, endpoints.isEmpty() ? 0 : ThreadLocalRandom.current().nextInt(endpoints.size()));
    }

    private void recordFailure(Throwable error) {
        status.fetchFailed(error);
        if (!failing) {
            log.warn("Cannot fetch endpoints from the registry; serving the last known {} clusters: {}",
                    clusters.size(), error.getMessage());
            failing = true;
        } else {
            log.debug("Registry fetch failed again: {}", error.getMessage());
        }
    }

    private static String normalize(String service) {
        // returns the same instance when already lower-case: no allocation on the hot path
        return service.toLowerCase(Locale.ROOT);
    }
}
