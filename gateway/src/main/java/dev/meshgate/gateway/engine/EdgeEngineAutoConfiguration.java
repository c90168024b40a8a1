package dev.meshgate.gateway.engine;

import dev.meshgate.core.retry.RetryBudgets;
import dev.meshgate.proxy.cluster.ClusterState;
import dev.meshgate.controlplane.CircuitBreakersEndpoint;
import dev.meshgate.controlplane.PolicyReloader;
import dev.meshgate.proxy.EngineSettings;
import dev.meshgate.proxy.listener.RequestHeadTimeout;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import reactor.netty.NettyPipeline;

import java.time.Duration;
import java.util.List;

/**
 * The edge's share of the mesh's engine: its settings from Gateway's and the server's own keys, the
 * policy from {@code mesh.policy} (the same document the nodes read), the {@code lb://} routing
 * filter of the chain, and the request-head timeout on every connection of the server
 * ({@code mesh.gateway.request-head-timeout}, 20 s unless set).
 */
@AutoConfiguration(after = GatewayAutoConfiguration.class)
public class EdgeEngineAutoConfiguration {

    static final String HEAD_TIMEOUT = "mesh.gateway.request-head-timeout";
    static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(20);
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** {@code /actuator/circuitbreakers}: the breakers of the services the edge calls. */
    @Bean
    public CircuitBreakersEndpoint circuitBreakersEndpoint(EdgeEngine engine) {
        return new CircuitBreakersEndpoint(engine.clusters().circuitBreakers().registry());
    }

    /**
     * {@code mesh.policy}, with Gateway's {@code httpclient.response-timeout}, when set, as the edge's
     * default request timeout (it is the edge's own setting, and Gateway's routes of other schemes keep
     * it): a service's own timeout applies over it, as in the mesh. Applied again when the configuration
     * changes; named for its health component, {@code policy}.
     */
    @Bean
    public PolicyReloader policyHealthIndicator(HttpClientProperties httpClient, Environment environment) {
        return new PolicyReloader(environment, document -> document.toPolicy(httpClient.getResponseTimeout()));
    }

    @Bean(destroyMethod = "shutdown")
    public EdgeEngine meshEdgeEngine(HttpClientProperties httpClient, Environment environment,
            ObjectProvider<MeterRegistry> registry, PolicyReloader policyHealthIndicator) {
        EdgeRecorder recorder = new EdgeRecorder(registry.getIfAvailable(() -> Metrics.globalRegistry));
        return new EdgeEngine(settings(httpClient, environment), policyHealthIndicator.store(), recorder,
                new ClusterState(new RetryBudgets(), recorder.circuitBreakers()));
    }

    @Bean
    public EngineRoutingFilter meshEngineRoutingFilter(EdgeEngine engine, ObjectProvider<List<HttpHeadersFilter>> headersFilters) {
        return new EngineRoutingFilter(engine, headersFilters);
    }

    @Bean
    public EngineWriteResponseFilter meshEngineWriteResponseFilter() {
        return new EngineWriteResponseFilter();
    }

    @Bean
    NettyServerCustomizer meshRequestHeadTimeout(EdgeEngine engine) {
        return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                RequestHeadTimeout headTimeout = engine.requestHeadTimeout();
                channel.pipeline().addBefore(NettyPipeline.HttpCodec, "meshgate.requestHeadTimeout", headTimeout);
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, "meshgate.requestHeadTimeoutTap",
                        new RequestHeadTimeout.Tap(headTimeout));
            }
        });
    }

    static EngineSettings settings(HttpClientProperties httpClient, Environment environment) {
        Integer connectMillis = httpClient.getConnectTimeout();
        Duration idle = httpClient.getPool().getMaxIdleTime();
        DataSize header = environment.getProperty("server.max-http-request-header-size", DataSize.class, DataSize.ofKilobytes(8));
        DataSize line = environment.getProperty("server.netty.max-initial-line-length", DataSize.class, DataSize.ofKilobytes(4));
        return new EngineSettings(
                Duration.ofMillis(connectMillis == null ? 45_000 : connectMillis),
                idle == null || idle.isZero() || idle.isNegative() ? DEFAULT_IDLE_TIMEOUT : idle,
                environment.getProperty(HEAD_TIMEOUT, Duration.class, DEFAULT_HEAD_TIMEOUT),
                (int) line.toBytes(), (int) header.toBytes(), 64, 1024);
    }
}
