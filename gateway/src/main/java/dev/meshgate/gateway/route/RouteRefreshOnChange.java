package dev.meshgate.gateway.route;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.event.HeartbeatMonitor;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.discovery.event.ParentHeartbeatEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScopeRefreshedEvent;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Rebuilds Gateway's routes when their sources may have changed: once the application context is
 * up, and after every configuration refresh (routes committed to the config repository). Registry
 * heartbeats refresh them only when routes are generated from the registry (Gateway's discovery
 * locator).
 *
 * <p>Gateway's own listener also refreshes on every heartbeat, and the Eureka client sends one
 * after every registry fetch (every 2 s here), whether or not anything changed. With 10,000 routes
 * each rebuild took a burst of CPU every few seconds. Endpoints behind {@code lb://} routes are
 * resolved per request by the load balancer, so the routes themselves do not depend on the registry.
 */
public final class RouteRefreshOnChange implements ApplicationListener<ApplicationEvent> {

    private final ApplicationEventPublisher publisher;
    private final boolean routesFromRegistry;
    private final HeartbeatMonitor heartbeats = new HeartbeatMonitor();

    public RouteRefreshOnChange(ApplicationEventPublisher publisher, boolean routesFromRegistry) {
        this.publisher = publisher;
        this.routesFromRegistry = routesFromRegistry;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ContextRefreshedEvent refreshed) {
            // the management context, when it has its own port, has no routes of its own
            if (!WebServerApplicationContext.hasServerNamespace(refreshed.getApplicationContext(), "management")) {
                refresh();
            }
        } else if (event instanceof RefreshScopeRefreshedEvent) {
            refresh();
        } else if (routesFromRegistry) {
            if (event instanceof InstanceRegisteredEvent<?>) {
                refresh();
            } else if (event instanceof ParentHeartbeatEvent heartbeat) {
                refreshIfChanged(heartbeat.getValue());
            } else if (event instanceof HeartbeatEvent heartbeat) {
                refreshIfChanged(heartbeat.getValue());
            }
        }
    }

    private void refreshIfChanged(Object heartbeat) {
        if (heartbeats.update(heartbeat)) {
            refresh();
        }
    }

    private void refresh() {
        publisher.publishEvent(new RefreshRoutesEvent(this));
    }
}
