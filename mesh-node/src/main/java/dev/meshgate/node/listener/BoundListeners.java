package dev.meshgate.node.listener;

/**
 * The ports the data-plane listeners actually bound (a configured port of 0 picks a free one), and
 * whether they accept traffic. Discovery registers {@link #inboundPort()} in the registry once
 * {@link #listening()} is true; tests read the ports to reach a node started on port 0.
 */
public interface BoundListeners {

    /** The inbound listener's bound port (peers and the gateway connect here), or -1 before start. */
    int inboundPort();

    /** The outbound listener's bound port (the local app's calls to other services), or -1 before start. */
    int outboundPort();

    /** True from the moment both listeners accept until shutdown begins. */
    boolean listening();
}
