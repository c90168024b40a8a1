package dev.meshgate.gateway.fastpath;

import dev.meshgate.core.balance.Balancer;
import dev.meshgate.core.balance.EjectingBalancer;
import dev.meshgate.core.balance.OutlierDetector;
import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;
import dev.meshgate.gateway.engine.EdgeEngine;
import dev.meshgate.proxy.exchange.Destination;
import dev.meshgate.proxy.exchange.OutlierReports;
import dev.meshgate.proxy.http.ProxyError;
import io.netty.channel.Channel;
import io.opentelemetry.api.trace.Tracer;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

/**
 * What every fast-path connection shares: the route table (rebuilt from Gateway's routes on each
 * refresh), the edge's engine (its pools, attempts, timeouts and errors), the endpoints of
 * {@code lb://} routes as sets from the discovery client and the balancer that picks one (stepping
 * over the endpoints its outlier detection has ejected), metrics,
 * the edge's trace sampling probability and the tracer of recorded traces.
 */
public final class FastPath {

    /** How long a service's instance list from the discovery client is reused. */
    static final long INSTANCES_TTL_NANOS = 1_000_000_000L;

    private final EdgeEngine engine;
    private final DiscoveryClient discovery;
    private final EjectingBalancer balancer;
    /** Bound once: a method reference made per call would allocate on every response. */
    private final ToIntFunction<String> endpointCount = this::endpointCount;
    private final OutlierDetector outliers = new OutlierDetector(OutlierDetector.Settings.DEFAULT);
    private final FastPathMetrics metrics;
    private final double probability;
    private final Tracer tracer;
    private final Map<String, Fetched> endpoints = new ConcurrentHashMap<>();
    private final LongAdder forwarded = new LongAdder();
    private volatile FastRouteTable table = FastRouteTable.empty();

    FastPath(EdgeEngine engine, DiscoveryClient discovery, Balancer balancer, FastPathMetrics metrics,
            double probability, Tracer tracer) {
        this.engine = engine;
        this.discovery = discovery;
        this.balancer = new EjectingBalancer(balancer, outliers);
        this.metrics = metrics;
        this.probability = probability;
        this.tracer = tracer;
    }

    public FastRouteTable table() {
        return table;
    }

    void table(FastRouteTable table) {
        this.table = table;
    }

    /** How many requests the fast path has forwarded (answered or failed) since start. */
    public long forwarded() {
        return forwarded.sum();
    }

    void countForwarded() {
        forwarded.increment();
    }

    EdgeEngine engine() {
        return engine;
    }

    FastPathMetrics metrics() {
        return metrics;
    }

    /** Whether a trace started here is recorded: the same share Gateway's sampler records. */
    boolean sampleNewTrace() {
        return probability > 0 && (probability >= 1 || ThreadLocalRandom.current().nextDouble() < probability);
    }

    /**
     * The tracer that records the spans of recorded traces, or null when there is none (recorded
     * traces then take Gateway's filter chain, which records them).
     */
    Tracer tracer() {
        return tracer;
    }

    /**
     * Where the route's next request goes, or null when Gateway's own load balancing must answer (no
     * ready instance, or one reached over TLS, which the fast path does not speak); for a retry, another
     * endpoint than {@code avoid}, the failed try's, where one exists.
     */
    Destination destination(FastRoute route, InetSocketAddress avoid) {
        if (!route.balanced()) {
            return new Destination(route.host(), InetSocketAddress.createUnresolved(route.host(), route.port()));
        }
        long now = System.nanoTime();
        Fetched current = endpoints.get(route.service());
        if (current == null || now - current.fetchedAt > INSTANCES_TTL_NANOS) {
            current = fetch(route.service(), now);
        }
        Endpoint endpoint = balancer.pick(current.endpoints, avoid);
        return endpoint == null ? null : new Destination(route.service(), endpoint.address());
    }

    /** Passive outlier detection of the fast path's lb:// endpoints: told by each connection how its tries fared. */
    boolean outcome(Destination at, ProxyError error, int status) {
        return OutlierReports.report(outliers, at, error, status, endpointCount);
    }

    private int endpointCount(String service) {
        Fetched fetched = endpoints.get(service);
        return fetched == null ? 1 : fetched.endpoints.size();
    }

    private Fetched fetch(String service, long now) {
        List<ServiceInstance> found;
        try {
            found = discovery.getInstances(service);
        } catch (RuntimeException e) {
            found = List.of();
        }
        Fetched fetched = new Fetched(endpointsOf(service, found), now);
        endpoints.put(service, fetched);
        return fetched;
    }

    /** The discovery client's instances as the engine's endpoints; none when any is reached over TLS. */
    static EndpointSet endpointsOf(String service, List<ServiceInstance> instances) {
        List<Endpoint> endpoints = new ArrayList<>(instances.size());
        for (ServiceInstance instance : instances) {
            if (instance.isSecure() || instance.getHost() == null) {
                return EndpointSet.empty(service);
            }
            String id = instance.getInstanceId() != null ? instance.getInstanceId()
                    : instance.getHost() + ":" + instance.getPort();
            endpoints.add(new Endpoint(id, instance.getHost(), instance.getPort(), instance.getMetadata()));
        }
        return new EndpointSet(service, endpoints);
    }

    /** Whether a connection of this class can get upstream connections of the same transport. */
    static boolean supports(Channel channel) {
        try {
            channel.getClass().getConstructor();
            return channel instanceof io.netty.channel.socket.SocketChannel;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private record Fetched(EndpointSet endpoints, long fetchedAt) {
    }
}
