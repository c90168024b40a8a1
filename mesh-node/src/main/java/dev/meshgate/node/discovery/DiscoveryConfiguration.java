package dev.meshgate.node.discovery;

import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.node.admin.AppHealthWatch;
import dev.meshgate.node.admin.HttpAppProbe;
import dev.meshgate.node.listener.BoundListeners;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;

/** Wires registration and the service directory to the registry named by {@code mesh.registry.*}. */
@Configuration(proxyBeanMethods = false)
public class DiscoveryConfiguration {

    /** The first registration retry; later retries double up to the heartbeat interval. */
    private static final Duration FIRST_REGISTRATION_RETRY = Duration.ofMillis(500);

    @Bean
    RegistryStatus registryStatus(MeshNodeProperties properties) {
        return new RegistryStatus(properties.registry().url(), properties.registry().register(), Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    EurekaRestClient eurekaRestClient(MeshNodeProperties properties) {
        return new EurekaRestClient(properties.registry().url(), properties.registry().requestTimeout());
    }

    @Bean
    EurekaServiceDirectory serviceDirectory(EurekaRestClient registry, RegistryStatus status, MeshNodeProperties properties) {
        return new EurekaServiceDirectory(registry, status, properties.registry().refreshInterval(), Schedulers.parallel());
    }

    /** Always defined: {@code mesh.registry.register} is read by the lifecycle at run time (conditions are fixed at build time, Spring AOT). */
    @Bean
    EurekaRegistrar eurekaRegistrar(EurekaRestClient registry, RegistryStatus status, MeshNodeProperties properties) {
        Duration heartbeat = properties.registry().heartbeatInterval();
        Duration firstRetry = FIRST_REGISTRATION_RETRY.compareTo(heartbeat) < 0 ? FIRST_REGISTRATION_RETRY : heartbeat;
        return new EurekaRegistrar(registry, status, heartbeat, firstRetry, Schedulers.parallel());
    }

    /**
     * The {@code app} health component (named by the bean), part of readiness: while the node's app
     * does not serve, the node is OUT_OF_SERVICE in the registry.
     */
    @Bean
    AppHealthWatch appHealthIndicator(MeshNodeProperties properties, EurekaRegistrar registrar) {
        MeshNodeProperties.App app = properties.app();
        AppHealthWatch watch = new AppHealthWatch(app.health(), HttpAppProbe.url(app), new HttpAppProbe(app),
                Schedulers.parallel());
        if (properties.registry().register()) {
            watch.onChange(registrar::inService);
        }
        return watch;
    }

    @Bean
    RegistrationLifecycle registrationLifecycle(EurekaRegistrar registrar, RegistryStatus status, MeshNodeProperties properties,
                                                ObjectProvider<BoundListeners> listeners, ApplicationContext context) {
        return new RegistrationLifecycle(registrar, status, properties, listeners, context);
    }
}
