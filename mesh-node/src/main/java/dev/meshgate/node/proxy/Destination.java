package dev.meshgate.node.proxy;

import java.net.InetSocketAddress;

/**
 * Where one request goes: the upstream's address and, on the outbound path, the logical service it
 * belongs to (null for the local app). The address is the connection pool's key. {@code peerLink}
 * says the upstream is a peer node's inbound listener reached over the HTTP/2 link between nodes.
 */
public record Destination(String service, InetSocketAddress address, boolean peerLink) {

    /** An upstream spoken to over pooled HTTP/1.1 connections. */
    public Destination(String service, InetSocketAddress address) {
        this(service, address, false);
    }

    /** "127.0.0.1:9001", for error bodies and logs. */
    public String upstream() {
        return address.getHostString() + ":" + address.getPort();
    }

    /** Names the upstream in an error message. */
    public String describe() {
        return service == null
                ? "the local app at " + upstream()
                : "service '" + service + "' endpoint " + upstream();
    }
}
