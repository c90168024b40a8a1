package dev.meshgate.node.inbound;

import dev.meshgate.node.proxy.Destination;
import dev.meshgate.node.proxy.DownstreamHandler;
import dev.meshgate.node.proxy.ListenerContext;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The inbound stack: requests from other nodes (and the gateway) to this node's service, forwarded
 * to the local app over plain HTTP on loopback. Peer authentication happens on accept (the
 * listener's transport security); authorization policy will be decided here, per request, before
 * forwarding.
 */
public final class InboundHandler extends DownstreamHandler {

    private final Destination app;

    public InboundHandler(ListenerContext listener, Destination app) {
        super(listener);
        this.app = app;
    }

    @Override
    protected void route(HttpRequest request) {
        forward(app);
    }
}
