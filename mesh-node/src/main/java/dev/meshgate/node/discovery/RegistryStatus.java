package dev.meshgate.node.discovery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What this node last heard from the registry, for health and operators: whether it is registered,
 * when a lease renewal and a directory fetch last succeeded, and the last failure. Written by the
 * registration loop and the directory, read by the health endpoint; each field is independently
 * current, which is all a health report needs.
 */
public final class RegistryStatus {

    private final String url;
    private final boolean registrationEnabled;
    private final Clock clock;

    private volatile Boolean registered;
    private volatile Instant lastRenewal;
    private volatile Boolean lastFetchSucceeded;
    private volatile Instant lastFetch;
    private volatile int knownClusters;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public RegistryStatus(String url, boolean registrationEnabled, Clock clock) {
        this.url = url;
        this.registrationEnabled = registrationEnabled;
        this.clock = clock;
    }

    /** A registration or lease renewal succeeded. */
    public void registered() {
        registered = true;
        lastRenewal = clock.instant();
    }

    /** A registration or lease renewal failed: the registry may drop this instance when the lease runs out. */
    public void registrationFailed(Throwable error) {
        registered = false;
        failed(error);
    }

    /** The instance was removed on shutdown. */
    public void deregistered() {
        registered = false;
    }

    /** The directory fetched from the registry and now knows this many clusters. */
    public void fetched(int clusters) {
        lastFetchSucceeded = true;
        lastFetch = clock.instant();
        knownClusters = clusters;
    }

    /** A directory fetch failed: the directory keeps serving its last snapshot. */
    public void fetchFailed(Throwable error) {
        lastFetchSucceeded = false;
        failed(error);
    }

    public View view() {
        return new View(url, registrationEnabled, Boolean.TRUE.equals(registered), lastRenewal,
                lastFetch, knownClusters, lastError, lastErrorAt, problems());
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>(2);
        Boolean registeredNow = registered;
        if (registrationEnabled && registeredNow == null) {
            problems.add("not registered with the registry yet");
        } else if (registrationEnabled && !registeredNow) {
            problems.add("not registered with the registry: peers may not find this node");
        }
        Boolean fetchNow = lastFetchSucceeded;
        if (fetchNow == null) {
            problems.add("no endpoints fetched from the registry yet");
        } else if (!fetchNow) {
            problems.add("cannot fetch endpoints from the registry: serving the last known endpoints");
        }
        return List.copyOf(problems);
    }

    private void failed(Throwable error) {
        String message = error.getMessage();
        lastError = message == null ? error.getClass().getSimpleName() : message;
        lastErrorAt = clock.instant();
    }

    /** A consistent-enough picture for one health report; {@code problems} is empty when all is well. */
    public record View(
            String url,
            boolean registrationEnabled,
            boolean registered,
            Instant lastRenewal,
            Instant lastFetch,
            int knownClusters,
            String lastError,
            Instant lastErrorAt,
            List<String> problems) {

        public boolean healthy() {
            return problems.isEmpty();
        }
    }
}
