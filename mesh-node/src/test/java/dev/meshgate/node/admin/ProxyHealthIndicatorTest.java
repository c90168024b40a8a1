package dev.meshgate.node.admin;

import dev.meshgate.node.listener.BoundListeners;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHealthIndicatorTest {

    @Test
    void upWithTheBoundPortsWhileTheListenersAccept() {
        Health health = indicatorFor(new Listeners(15006, 15001, true)).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("inboundPort", 15006).containsEntry("outboundPort", 15001);
    }

    @Test
    void downWhenTheListenersDoNotAccept() {
        Health health = indicatorFor(new Listeners(-1, -1, false)).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "listeners are not accepting");
    }

    @Test
    void downWithoutADataPlane() {
        Health health = new ProxyHealthIndicator(new StaticListableBeanFactory().getBeanProvider(BoundListeners.class)).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    }

    private static ProxyHealthIndicator indicatorFor(BoundListeners listeners) {
        return new ProxyHealthIndicator(new StaticListableBeanFactory(Map.of("boundListeners", listeners))
                .getBeanProvider(BoundListeners.class));
    }

    private record Listeners(int inboundPort, int outboundPort, boolean listening) implements BoundListeners {
    }
}
