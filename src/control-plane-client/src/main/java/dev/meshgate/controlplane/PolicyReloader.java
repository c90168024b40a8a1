package dev.meshgate.controlplane;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.PolicyDocument;
import dev.meshgate.core.policy.PolicyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import java.util.function.Function;

/**
 * Applies {@code mesh.policy} again whenever the configuration changes under it (the config server
 * came back, a refresh): the new policy is validated whole before it replaces the current snapshot,
 * so exchanges in flight keep the one they started with and a bad document never takes effect. A
 * rejected one is logged naming its file, key and value, the last good policy stays in force, and
 * the {@code policy} health component reports {@link MeshHealth#DEGRADED} with the error until a
 * good one arrives. A document rejected at start-up leaves the built-in defaults in force, the same
 * way: a bad commit never keeps a data plane from starting, nor sends it into a restart loop.
 */
public class PolicyReloader implements ApplicationListener<EnvironmentChangeEvent>, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(PolicyReloader.class);

    private final Environment environment;
    private final PolicyStore store;
    private final Function<PolicyDocument, MeshPolicy> toPolicy;
    private volatile String rejected;
    private volatile long reloads;

    /** Nothing configured: every default. */
    private static final PolicyDocument EMPTY = new PolicyDocument(null, null, null, null, null, null);

    /**
     * Binds the policy for the start-up.
     *
     * @param toPolicy the data plane's way from the document to its snapshot (its default timeout applied)
     */
    public PolicyReloader(Environment environment, Function<PolicyDocument, MeshPolicy> toPolicy) {
        this.environment = environment;
        this.toPolicy = toPolicy;
        MeshPolicy initial;
        try {
            initial = toPolicy.apply(PolicyBinding.bind(environment));
        } catch (IllegalArgumentException e) {
            rejected = e.getMessage();
            log.error("{}; starting on the built-in defaults", e.getMessage());
            initial = toPolicy.apply(EMPTY);
        }
        this.store = new PolicyStore(initial);
    }

    /** The snapshots this reloader replaces. */
    public PolicyStore store() {
        return store;
    }

    @Override
    public void onApplicationEvent(EnvironmentChangeEvent event) {
        if (event.getKeys().stream().anyMatch(key -> key.startsWith(PolicyBinding.PREFIX))) {
            reload();
        }
    }

    /** Binds and validates the current {@code mesh.policy}; true when it replaced the snapshot. */
    public boolean reload() {
        MeshPolicy next;
        try {
            next = toPolicy.apply(PolicyBinding.bind(environment));
        } catch (IllegalArgumentException e) {
            rejected = e.getMessage();
            log.error("{}; the last good policy stays in force", e.getMessage());
            return false;
        }
        store.replace(next);
        rejected = null;
        reloads++;
        log.info("policy applied: {} services with policies of their own", next.services().size());
        return true;
    }

    /** Why the last reload was rejected, or null when the current policy is the latest. */
    public String rejected() {
        return rejected;
    }

    @Override
    public Health health() {
        String error = rejected;
        Health.Builder health = error == null ? Health.up() : Health.status(MeshHealth.DEGRADED).withDetail("rejected", error);
        return health.withDetail("services", store.current().services().size()).withDetail("reloads", reloads).build();
    }
}
