package dev.meshgate.proxy.pool;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What tells pooled connections apart: the endpoint's address, the protocol spoken to it, and the
 * identity its certificate must prove (null while connections are plaintext). Two exchanges share a
 * connection only when all three agree.
 */
public record PoolKey(InetSocketAddress address, Protocol protocol, String peerIdentity) {

    public enum Protocol {
        /** Pooled HTTP/1.1 connections, one exchange at a time on each. */
        HTTP1,
        /** The multiplexed HTTP/2 link between nodes (prior knowledge). */
        H2C
    }

    public PoolKey {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
    }

    public static PoolKey http1(InetSocketAddress address) {
        return new PoolKey(address, Protocol.HTTP1, null);
    }

    /** "127.0.0.1:9001", for error bodies and logs. */
    public String authority() {
        return address.getHostString() + ":" + address.getPort();
    }
}
