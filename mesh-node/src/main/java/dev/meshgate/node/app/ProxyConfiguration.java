package dev.meshgate.node.app;

import dev.meshgate.controlplane.CircuitBreakersEndpoint;
import dev.meshgate.core.balance.Balancer;
import dev.meshgate.core.policy.PolicyStore;
import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.node.discovery.ServiceDirectory;
import dev.meshgate.node.telemetry.ProxyMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the data plane into the node: the listeners run as a lifecycle bean, exposed to the rest of
 * the node as {@link BoundListeners}.
 */
@Configuration(proxyBeanMethods = false)
public class ProxyConfiguration {

    @Bean
    public ProxyMetrics proxyMetrics(ObjectProvider<MeterRegistry> registry) {
        // the global registry stands in where no registry is configured (it records nothing then)
        return new ProxyMetrics(registry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    /** {@code /actuator/circuitbreakers}: the breakers of the services this node calls. */
    @Bean
    public CircuitBreakersEndpoint circuitBreakersEndpoint(ProxyMetrics metrics) {
        return new CircuitBreakersEndpoint(metrics.clusters().circuitBreakers().registry());
    }

    @Bean
    public ProxyServer proxyServer(MeshNodeProperties properties, ServiceDirectory directory, ProxyMetrics metrics,
            PolicyStore policies, Balancer balancer) {
        return ProxyServer.forNode(properties, directory, balancer, metrics, policies, ProxyServer.DEFAULT_DRAIN_TIMEOUT);
    }
}
