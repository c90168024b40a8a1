package dev.meshgate.node.inbound;

import dev.meshgate.proxy.exchange.Destination;
import dev.meshgate.proxy.exchange.Exchange;
import dev.meshgate.proxy.exchange.Router;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The inbound stack: requests from other nodes (and the gateway) to this node's service, forwarded
 * to the local app over plain HTTP on loopback, under this service's own route policy (its request
 * timeout frees a hung app). Peer authentication happens on accept (the listener's transport
 * security); authorization policy will be decided here, per request, before forwarding.
 */
public final class InboundRouter implements Router {

    private final String service;
    private final Destination app;

    /** @param service the service this node fronts, whose policy applies to calls to its app */
    public InboundRouter(String service, Destination app) {
        this.service = service;
        this.app = app;
    }

    @Override
    public void route(Exchange exchange, HttpRequest request) {
        exchange.forward(app, exchange.policy().service(service).route(request.method().name(), request.uri()));
    }
}
