package dev.meshgate.proxy.exchange;

import dev.meshgate.proxy.pool.PoolKey;

import java.net.InetSocketAddress;

/**
 * Where one attempt goes: the pool key of the endpoint (address, protocol, expected identity) and,
 * on the outbound path, the logical service it belongs to (null for the local app).
 */
public record Destination(String service, PoolKey key) {

    /** An upstream spoken to over pooled HTTP/1.1 connections. */
    public Destination(String service, InetSocketAddress address) {
        this(service, PoolKey.http1(address));
    }

    /** {@code peerLink}: a peer node's inbound listener reached over the HTTP/2 link between nodes. */
    public Destination(String service, InetSocketAddress address, boolean peerLink) {
        this(service, new PoolKey(address, peerLink ? PoolKey.Protocol.H2C : PoolKey.Protocol.HTTP1, null));
    }

    public InetSocketAddress address() {
        return key.address();
    }

    public boolean peerLink() {
        return key.protocol() == PoolKey.Protocol.H2C;
    }

    /** "127.0.0.1:9001", for error bodies and logs. */
    public String upstream() {
        return key.authority();
    }

    /** Names the upstream in an error message. */
    public String describe() {
        return service == null
                ? "the local app at " + upstream()
                : "upstream " + upstream() + " of service '" + service + "'";
    }
}
