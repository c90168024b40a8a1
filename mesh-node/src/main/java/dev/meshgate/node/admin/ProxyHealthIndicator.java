package dev.meshgate.node.admin;

import dev.meshgate.node.listener.BoundListeners;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code proxy}: UP while the inbound and outbound listeners accept, with the ports they bound. */
@Component
public class ProxyHealthIndicator implements HealthIndicator {

    private final ObjectProvider<BoundListeners> listeners;

    public ProxyHealthIndicator(ObjectProvider<BoundListeners> listeners) {
        this.listeners = listeners;
    }

    @Override
    public Health health() {
        BoundListeners bound = listeners.getIfAvailable();
        if (bound == null) {
            return Health.down().withDetail("reason", "no data plane in this application").build();
        }
        Health.Builder health = bound.listening() ? Health.up() : Health.down().withDetail("reason", "listeners are not accepting");
        return health.withDetail("inboundPort", bound.inboundPort())
                .withDetail("outboundPort", bound.outboundPort())
                .build();
    }
}
