package dev.meshgate.node.outbound;

import dev.meshgate.core.balance.RoundRobin;
import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.node.discovery.ServiceDirectory;
import dev.meshgate.node.proxy.Destination;
import dev.meshgate.node.proxy.DownstreamHandler;
import dev.meshgate.node.proxy.ListenerContext;
import dev.meshgate.node.proxy.ProxyError;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The outbound stack: the local app calls another service by name, and this picks one of its
 * endpoints (a peer node's inbound listener) round-robin.
 *
 * <p>The service is the host of the request target: the {@code Host} header of an origin-form
 * request ({@code GET /path}, {@code Host: search}), or the URI of an absolute-form one
 * ({@code GET http://search/path}, as sent by a client using this listener as its HTTP proxy), which
 * is rewritten to origin-form before it goes on. A port is ignored. The {@code Host} sent upstream
 * stays the logical service name.
 *
 * <p>Endpoints come from the directory's in-memory snapshot; a service never seen before is looked up
 * once, and the exchange continues on this connection's event loop when the answer arrives.
 */
public final class OutboundHandler extends DownstreamHandler {

    private final ServiceDirectory directory;
    private final Duration lookupTimeout;
    private final boolean peerLinks;

    public OutboundHandler(ListenerContext listener, ServiceDirectory directory, Duration lookupTimeout) {
        super(listener);
        this.directory = directory;
        this.lookupTimeout = lookupTimeout;
        this.peerLinks = listener.limits().peerProtocol() == MeshNodeProperties.PeerProtocol.H2C;
    }

    @Override
    protected void route(HttpRequest request) {
        if (HttpMethod.CONNECT.equals(request.method())) {
            reject(ProxyError.METHOD_NOT_SUPPORTED,
                    "CONNECT tunnels are not supported by the outbound listener yet: send plain HTTP, "
                            + "e.g. GET http://<service>/path",
                    "method", "CONNECT");
            return;
        }
        RequestTarget target = RequestTarget.of(request);
        if (target.problem() != null) {
            reject(target.problem(), target.message());
            return;
        }
        String service = target.service();
        RoundRobin<Endpoint> cluster = directory.cluster(service);
        if (cluster != null) {
            forwardTo(service, cluster);
        } else {
            lookUp(service);
        }
    }

    private void forwardTo(String service, RoundRobin<Endpoint> cluster) {
        Endpoint endpoint = cluster.next();
        if (endpoint == null) {
            reject(ProxyError.NO_ENDPOINTS, "no endpoint of service '" + service + "' is registered", "service", service);
            return;
        }
        forward(new Destination(service, endpoint.address(), peerLinks && endpoint.acceptsPeerLink()));
    }

    /** The rare path: a service the snapshot has never seen. */
    private void lookUp(String service) {
        int exchange = currentExchange();
        EventLoop loop = eventLoop();
        CompletableFuture<RoundRobin<Endpoint>> answer;
        try {
            answer = directory.lookup(service);
        } catch (RuntimeException e) {
            registryUnavailable(service, e);
            return;
        }
        ScheduledFuture<?> deadline = loop.schedule(() -> {
            if (awaitingRoute(exchange)) {
                reject(ProxyError.REGISTRY_UNAVAILABLE, "the registry did not answer about service '" + service
                        + "' within " + lookupTimeout.toMillis() + " ms and no snapshot of it exists", "service", service);
            }
        }, lookupTimeout.toNanos(), TimeUnit.NANOSECONDS);
        answer.whenComplete((cluster, failure) -> loop.execute(() -> {
            deadline.cancel(false);
            if (!awaitingRoute(exchange)) {
                return;
            }
            if (failure != null) {
                registryUnavailable(service, failure);
            } else if (cluster == null) {
                reject(ProxyError.NO_ENDPOINTS, "no endpoint of service '" + service + "' is registered", "service", service);
            } else {
                forwardTo(service, cluster);
            }
        }));
    }

    private void registryUnavailable(String service, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        reject(ProxyError.REGISTRY_UNAVAILABLE, "the registry cannot be reached and no snapshot of service '" + service
                + "' exists: " + cause.getMessage(), "service", service);
    }
}
