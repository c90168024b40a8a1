package dev.meshgate.node.discovery;

import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.node.listener.BoundListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registration switch is read when the application is ready, not by a bean condition: a node's
 * conditions are evaluated when its jar is built (Spring AOT), so only a run-time check can honour
 * {@code mesh.registry.register=false} given at start.
 */
class RegistrationLifecycleTest {

    private final ScriptedRegistry registry = new ScriptedRegistry();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final GenericApplicationContext context = new GenericApplicationContext();

    @AfterEach
    void stop() {
        time.dispose();
        context.close();
    }

    @Test
    void registersOnceReadyAndDeregistersWhenTheContextCloses() {
        RegistryStatus status = new RegistryStatus("http://registry", true, Clock.systemUTC());
        EurekaRegistrar registrar = registrar(status);
        RegistrationLifecycle lifecycle = lifecycle(Map.of(), registrar, status);

        lifecycle.onReady(ready());
        time.advanceTimeBy(Duration.ZERO);

        assertThat(registry.registers).hasValue(1);
        assertThat(registrar.isRunning()).isTrue();

        lifecycle.onClosing(new ContextClosedEvent(context));

        assertThat(registry.deregistrations).hasValue(1);
        assertThat(registrar.isRunning()).isFalse();
    }

    @Test
    void switchedOffAtStartItNeitherRegistersNorDeregisters() {
        RegistryStatus status = new RegistryStatus("http://registry", false, Clock.systemUTC());
        EurekaRegistrar registrar = registrar(status);
        RegistrationLifecycle lifecycle = lifecycle(Map.of("mesh.registry.register", "false"), registrar, status);

        lifecycle.onReady(ready());
        time.advanceTimeBy(Duration.ofMinutes(1));
        lifecycle.onClosing(new ContextClosedEvent(context));

        assertThat(registry.registers).hasValue(0);
        assertThat(registry.deregistrations).hasValue(0);
        assertThat(registrar.isRunning()).isFalse();
        assertThat(status.view().lastError()).isNull();
    }

    private EurekaRegistrar registrar(RegistryStatus status) {
        return new EurekaRegistrar(registry, status, Duration.ofSeconds(5), Duration.ofMillis(500), time);
    }

    private RegistrationLifecycle lifecycle(Map<String, String> values, EurekaRegistrar registrar, RegistryStatus status) {
        MeshNodeProperties properties = new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("mesh", MeshNodeProperties.class);
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("listeners", new Listeners(15006, 15001, true)));
        return new RegistrationLifecycle(registrar, status, properties, beans.getBeanProvider(BoundListeners.class), context);
    }

    private ApplicationReadyEvent ready() {
        return new ApplicationReadyEvent(new SpringApplication(), new String[0], context, Duration.ZERO);
    }

    private record Listeners(int inboundPort, int outboundPort, boolean listening) implements BoundListeners {
    }
}
