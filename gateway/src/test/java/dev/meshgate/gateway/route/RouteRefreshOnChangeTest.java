package dev.meshgate.gateway.route;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScopeRefreshedEvent;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.support.GenericApplicationContext;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When the gateway rebuilds its routes: on start-up and configuration refreshes, not on every registry fetch. */
class RouteRefreshOnChangeTest {

    private final List<Object> published = new ArrayList<>();

    @Test
    void startUpAndAConfigurationRefreshRebuildTheRoutes() {
        RouteRefreshOnChange listener = new RouteRefreshOnChange(published::add, false);

        listener.onApplicationEvent(new ContextRefreshedEvent(new GenericApplicationContext()));
        listener.onApplicationEvent(new RefreshScopeRefreshedEvent());

        assertThat(published).hasSize(2).allMatch(RefreshRoutesEvent.class::isInstance);
    }

    @Test
    void registryFetchesLeaveConfiguredRoutesAlone() {
        RouteRefreshOnChange listener = new RouteRefreshOnChange(published::add, false);

        for (long fetch = 1; fetch <= 5; fetch++) {
            // the Eureka client's heartbeat value is a counter of fetches: it changes every time
            listener.onApplicationEvent(new HeartbeatEvent(this, fetch));
        }
        listener.onApplicationEvent(new InstanceRegisteredEvent<>(this, "config"));

        assertThat(published).isEmpty();
    }

    @Test
    void routesGeneratedFromTheRegistryFollowItsHeartbeats() {
        RouteRefreshOnChange listener = new RouteRefreshOnChange(published::add, true);

        listener.onApplicationEvent(new HeartbeatEvent(this, 1L));
        listener.onApplicationEvent(new HeartbeatEvent(this, 1L));
        listener.onApplicationEvent(new HeartbeatEvent(this, 2L));

        // a heartbeat that repeats the last one changes nothing
        assertThat(published).hasSize(2).allMatch(RefreshRoutesEvent.class::isInstance);
    }
}
