package dev.meshgate.proxy.http;

/**
 * What a listener adds to the messages it forwards, beyond removing hop-by-hop headers (which every
 * listener does, RFC 9110 §7.6.1).
 */
public enum Forwarding {

    /**
     * A mesh hop: requests get this hop's {@code X-Forwarded-*}, {@code Forwarded} and {@code Via},
     * and a child span of their trace context; responses and the proxy's own answers get {@code Via}.
     */
    MESH_HOP,

    /**
     * The edge as Spring Cloud Gateway forwards: no forwarding headers unless its trusted proxies say
     * so, the trace context set by the router from the edge's span, nothing added to responses.
     */
    EDGE;

    public boolean meshHop() {
        return this == MESH_HOP;
    }
}
