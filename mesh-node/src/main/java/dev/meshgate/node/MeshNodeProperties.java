package dev.meshgate.node;

import dev.meshgate.proxy.EngineSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Everything a mesh-node is told at start-up, bound from {@code mesh.*}. Plain immutable values,
 * checked when built: a bad value stops start-up with a message naming the key and the value.
 * The admin (actuator) listener is Spring Boot's own {@code server.address} / {@code server.port}.
 */
@ConfigurationProperties("mesh")
public record MeshNodeProperties(
        @DefaultValue Node node,
        @DefaultValue Listeners listeners,
        @DefaultValue App app,
        @DefaultValue Registry registry,
        @DefaultValue Proxy proxy) {

    /** Who this node is: the cluster it fronts and the labels it registers with. */
    public record Node(
            @DefaultValue("app") String service,
            String instanceId,
            @DefaultValue("v1") String version,
            @DefaultValue("local") String zone,
            @DefaultValue("127.0.0.1") String advertisedHost) {

        public Node {
            requireText("mesh.node.service", service);
            if (!service.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new IllegalArgumentException(
                        "mesh.node.service must be a DNS label (lower-case letters, digits, '-'), was '" + service + "'");
            }
            requireText("mesh.node.version", version);
            requireText("mesh.node.zone", zone);
            requireText("mesh.node.advertised-host", advertisedHost);
            if (instanceId == null || instanceId.isBlank()) {
                instanceId = service + "@" + advertisedHost;
            }
        }
    }

    /** Outbound on 127.0.0.1:15001 and inbound on 127.0.0.1:15006 unless configured. */
    public record Listeners(Listener outbound, Listener inbound) {

        public Listeners {
            // Filled in here: @DefaultValue cannot carry a nested record's values, and a failed default
            // made the binder return no MeshNodeProperties at all when no listener was configured.
            outbound = outbound != null ? outbound : new Listener("127.0.0.1", 15001);
            inbound = inbound != null ? inbound : new Listener("127.0.0.1", 15006);
        }
    }

    /** A socket the node accepts on. Port 0 picks a free port (tests); configure host and port together. */
    public record Listener(@DefaultValue("127.0.0.1") String host, @DefaultValue("0") int port) {
        public Listener {
            requireText("listener host", host);
            requirePort("listener port", port, true);
        }
    }

    /** The local workload this node fronts: inbound traffic is forwarded here. */
    public record App(@DefaultValue("127.0.0.1") String host, @DefaultValue("8080") int port,
            @DefaultValue AppHealth health) {
        public App {
            requireText("mesh.app.host", host);
            requirePort("mesh.app.port", port, false);
            health = health != null ? health : AppHealth.DEFAULT;
        }
    }

    /**
     * How the node probes its app, which its readiness and its registration follow: a GET of
     * {@code path} every {@code interval}, failed when it gets no answer within {@code timeout}, a
     * 5xx, or (with a path set) anything but a 2xx or 3xx; {@code unhealthyThreshold} failures in a row
     * take the node out of rotation, {@code healthyThreshold} successes bring it back.
     *
     * @param path empty for {@code /}, where any answer below 500 means the app serves
     */
    public record AppHealth(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("") String path,
            @DefaultValue("5s") Duration interval,
            @DefaultValue("2s") Duration timeout,
            @DefaultValue("3") int unhealthyThreshold,
            @DefaultValue("1") int healthyThreshold) {

        /**
         * Kubernetes' probe defaults, about: a busy app that misses one probe must not leave rotation
         * (a dead one is stepped over at once by its callers' outlier detection anyway).
         */
        public static final AppHealth DEFAULT = new AppHealth(true, "", Duration.ofSeconds(5), Duration.ofSeconds(2), 3, 1);

        public AppHealth {
            path = path == null ? "" : path;
            if (!path.isEmpty() && !path.startsWith("/")) {
                throw new IllegalArgumentException("mesh.app.health.path must start with '/', was '" + path + "'");
            }
            requirePositive("mesh.app.health.interval", interval);
            requirePositive("mesh.app.health.timeout", timeout);
            if (unhealthyThreshold < 1 || healthyThreshold < 1) {
                throw new IllegalArgumentException("mesh.app.health thresholds must be at least 1, were unhealthy "
                        + unhealthyThreshold + ", healthy " + healthyThreshold);
            }
        }

        /** Whether an answer with {@code status} means the app serves. */
        public boolean healthy(int status) {
            return path.isEmpty() ? status < 500 : status >= 200 && status < 400;
        }
    }

    /** The discovery registry (Eureka REST API). */
    public record Registry(
            @DefaultValue("http://127.0.0.1:8761/eureka") String url,
            @DefaultValue("true") boolean register,
            @DefaultValue("5s") Duration heartbeatInterval,
            @DefaultValue("30s") Duration leaseDuration,
            @DefaultValue("5s") Duration refreshInterval,
            @DefaultValue("2s") Duration requestTimeout) {

        public Registry {
            requireText("mesh.registry.url", url);
            requirePositive("mesh.registry.heartbeat-interval", heartbeatInterval);
            requirePositive("mesh.registry.lease-duration", leaseDuration);
            requirePositive("mesh.registry.refresh-interval", refreshInterval);
            requirePositive("mesh.registry.request-timeout", requestTimeout);
        }
    }

    /**
     * How the outbound listener talks to peer nodes that accept both: one multiplexed HTTP/2
     * connection per event loop and peer ({@code h2c}, as linkerd2-proxy does), or pooled HTTP/1.1
     * connections ({@code http1}). Apps and plain endpoints always get HTTP/1.1.
     */
    public enum PeerProtocol {
        H2C, HTTP1
    }

    /**
     * Data-plane limits and timeouts.
     *
     * @param requestHeadTimeout   from a request's first byte to the end of its head, on both listeners;
     *                             beyond it the client gets 408 and is closed (slow-header clients)
     * @param maxAppConnections    connections open to the local app at once, across event loops; an
     *                             inbound request beyond it gets 503 at once, nothing queues
     * @param maxPendingStreams    exchanges waiting for a stream of one HTTP/2 link to a peer (per
     *                             event loop); beyond it 503 at once
     */
    public record Proxy(
            @DefaultValue("1s") Duration connectTimeout,
            @DefaultValue("60s") Duration idleTimeout,
            @DefaultValue("4096") int maxInitialLineLength,
            @DefaultValue("8192") int maxHeaderSize,
            @DefaultValue("0") int eventLoopThreads,
            @DefaultValue("64") int maxIdleConnectionsPerEndpoint,
            @DefaultValue("h2c") PeerProtocol peerProtocol,
            @DefaultValue("20s") Duration requestHeadTimeout,
            @DefaultValue("1024") int maxAppConnections,
            @DefaultValue("1024") int maxPendingStreams) {

        public Proxy {
            requirePositive("mesh.proxy.connect-timeout", connectTimeout);
            requirePositive("mesh.proxy.idle-timeout", idleTimeout);
            requirePositive("mesh.proxy.request-head-timeout", requestHeadTimeout);
            if (maxAppConnections < 1) {
                throw new IllegalArgumentException("mesh.proxy.max-app-connections must be at least 1, was " + maxAppConnections);
            }
            if (maxPendingStreams < 1) {
                throw new IllegalArgumentException("mesh.proxy.max-pending-streams must be at least 1, was " + maxPendingStreams);
            }
            if (maxInitialLineLength < 256) {
                throw new IllegalArgumentException("mesh.proxy.max-initial-line-length must be at least 256, was " + maxInitialLineLength);
            }
            if (maxHeaderSize < 1024) {
                throw new IllegalArgumentException("mesh.proxy.max-header-size must be at least 1024, was " + maxHeaderSize);
            }
            if (eventLoopThreads < 0) {
                throw new IllegalArgumentException("mesh.proxy.event-loop-threads must be 0 (one per core) or more, was " + eventLoopThreads);
            }
            if (maxIdleConnectionsPerEndpoint < 0) {
                throw new IllegalArgumentException("mesh.proxy.max-idle-connections-per-endpoint must not be negative, was " + maxIdleConnectionsPerEndpoint);
            }
            if (peerProtocol == null) {
                throw new IllegalArgumentException("mesh.proxy.peer-protocol must be h2c or http1");
            }
        }

        /** The engine's share of these settings. */
        public EngineSettings engine() {
            return new EngineSettings(connectTimeout, idleTimeout, requestHeadTimeout, maxInitialLineLength,
                    maxHeaderSize, maxIdleConnectionsPerEndpoint, maxPendingStreams);
        }

        /** Event loops to run: as many as cores unless set; never more (more loops than cores burn CPU). */
        public int effectiveEventLoopThreads() {
            return eventLoopThreads > 0 ? eventLoopThreads : Runtime.getRuntime().availableProcessors();
        }
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must not be blank, was '" + value + "'");
        }
    }

    private static void requirePort(String key, int port, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException(key + " must be between " + (zeroAllowed ? 0 : 1) + " and 65535, was " + port);
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(key + " must be a positive duration, was " + value);
        }
    }
}
