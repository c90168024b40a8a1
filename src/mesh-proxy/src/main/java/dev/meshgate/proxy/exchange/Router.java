package dev.meshgate.proxy.exchange;

import dev.meshgate.proxy.http.ProxyError;
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

    /**
     * How a try this router sent fared, for passive outlier detection: {@code error} null for an
     * answer with {@code status}, else the failure (status 0). Called on the event loop for every try;
     * must not block, and should not allocate when all is well.
     *
     * @return true when this outcome took the endpoint out of rotation
     */
    default boolean outcome(Destination destination, ProxyError error, int status) {
        return false;
    }
}
