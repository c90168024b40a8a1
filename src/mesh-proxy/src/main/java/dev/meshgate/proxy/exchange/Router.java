package dev.meshgate.proxy.exchange;

import io.netty.handler.codec.http.HttpRequest;

/**
 * A stack's decision of where a request goes: the outbound stack picks an endpoint of the named
 * service, the inbound stack the local app, the gateway a route's service. It calls
 * {@link Exchange#forward} or {@link Exchange#reject} exactly once, now or later on
 * {@link Exchange#eventLoop()} (checking {@link Exchange#awaitingRoute} first when later).
 * Forwarding headers and the trace span are already in place.
 */
@FunctionalInterface
public interface Router {

    void route(Exchange exchange, HttpRequest request);
}
