package dev.meshgate.gateway.fastpath;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.opentelemetry.api.trace.Tracer;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * What every fast-path connection shares: the route table (rebuilt from Gateway's routes on each
 * refresh), endpoint choice for {@code lb://} routes, upstream connection pools (one per event loop,
 * so an upstream connection lives on its client connection's loop), timeouts, metrics, the edge's
 * trace sampling probability and the tracer of recorded traces.
 */
public final class FastPath {

    /** How long a service's instance list from the discovery client is reused. */
    static final long INSTANCES_TTL_NANOS = 1_000_000_000L;

    private final DiscoveryClient discovery;
    private final FastPathMetrics metrics;
    private final Function<Map<String, Object>, byte[]> json;
    private final int connectTimeoutMillis;
    private final long responseTimeoutMillis;
    private final double probability;
    private final Tracer tracer;
    private final Map<String, Instances> instances = new ConcurrentHashMap<>();
    private final long idleTimeoutNanos;
    private final FastThreadLocal<UpstreamPool> pools = new FastThreadLocal<>();
    private final LongAdder forwarded = new LongAdder();
    private volatile FastRouteTable table = FastRouteTable.empty();

    FastPath(DiscoveryClient discovery, FastPathMetrics metrics, Function<Map<String, Object>, byte[]> json,
            int connectTimeoutMillis, long responseTimeoutMillis, long idleTimeoutNanos, double probability, Tracer tracer) {
        this.discovery = discovery;
        this.metrics = metrics;
        this.json = json;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.responseTimeoutMillis = responseTimeoutMillis;
        this.idleTimeoutNanos = idleTimeoutNanos;
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

    FastPathMetrics metrics() {
        return metrics;
    }

    byte[] json(Map<String, Object> body) {
        return json.apply(body);
    }

    int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    long responseTimeoutMillis() {
        return responseTimeoutMillis;
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

    /** How long an upstream connection may wait in a pool for its next exchange before it is closed. */
    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** The upstream connection pool of the calling event loop. */
    UpstreamPool pool(EventLoop loop) {
        assert loop.inEventLoop();
        UpstreamPool pool = pools.get();
        if (pool == null) {
            pool = new UpstreamPool(this, loop);
            pools.set(pool);
        }
        return pool;
    }

    /** The next endpoint of the route, or null when Gateway's own load balancing must answer (none, or TLS). */
    InetSocketAddress endpoint(FastRoute route) {
        if (!route.balanced()) {
            return InetSocketAddress.createUnresolved(route.host(), route.port());
        }
        long now = System.nanoTime();
        Instances current = instances.get(route.service());
        if (current == null || now - current.fetchedAt > INSTANCES_TTL_NANOS) {
            current = fetch(route.service(), now, current);
        }
        return current.next();
    }

    private Instances fetch(String service, long now, Instances previous) {
        List<ServiceInstance> found;
        try {
            found = discovery.getInstances(service);
        } catch (RuntimeException e) {
            found = List.of();
        }
        InetSocketAddress[] endpoints = new InetSocketAddress[found.size()];
        for (int i = 0; i < endpoints.length; i++) {
            ServiceInstance instance = found.get(i);
            if (instance.isSecure() || instance.getHost() == null) {
                endpoints = new InetSocketAddress[0];
                break;
            }
            endpoints[i] = InetSocketAddress.createUnresolved(instance.getHost(), instance.getPort());
        }
        int start = previous != null ? previous.position.get() : ThreadLocalRandom.current().nextInt(1000);
        Instances fetched = new Instances(endpoints, now, new AtomicInteger(start));
        instances.put(service, fetched);
        return fetched;
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

    private record Instances(InetSocketAddress[] endpoints, long fetchedAt, AtomicInteger position) {

        InetSocketAddress next() {
            if (endpoints.length == 0) {
                return null;
            }
            return endpoints[Math.floorMod(position.getAndIncrement(), endpoints.length)];
        }
    }
}
