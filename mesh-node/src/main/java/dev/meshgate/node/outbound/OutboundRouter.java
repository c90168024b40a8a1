package dev.meshgate.node.outbound;

import dev.meshgate.core.balance.Balancer;
import dev.meshgate.core.balance.EjectingBalancer;
import dev.meshgate.core.balance.OutlierDetector;
import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;
import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.node.discovery.ServiceDirectory;
import dev.meshgate.proxy.exchange.Destination;
import dev.meshgate.proxy.exchange.Exchange;
import dev.meshgate.proxy.exchange.OutlierReports;
import dev.meshgate.proxy.exchange.Router;
import dev.meshgate.proxy.http.ForwardingHeaders;
import dev.meshgate.proxy.http.ProxyError;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;

import java.time.Duration;
import java.util.function.ToIntFunction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The outbound stack: the local app calls another service by name, and this forwards to one of its
 * endpoints (a peer node's inbound listener) as the balancer picks it.
 *
 * <p>The service is the host of the request target: the {@code Host} header of an origin-form
 * request ({@code GET /path}, {@code Host: search}), or the URI of an absolute-form one
 * ({@code GET http://search/path}, as sent by a client using this listener as its HTTP proxy), which
 * is rewritten to origin-form before it goes on. A port is ignored. The {@code Host} sent upstream
 * stays the logical service name.
 *
 * <p>Endpoints come from the directory's in-memory snapshot; a service never seen before is looked up
 * once, and the exchange continues on its event loop when the answer arrives. The service's policy
 * (from the exchange's snapshot) picks the route, and with it the request timeout.
 */
public final class OutboundRouter implements Router {

    private final ServiceDirectory directory;
    private final EjectingBalancer balancer;
    /** Bound once: a method reference made per call would allocate on every response. */
    private final ToIntFunction<String> endpointCount = this::endpointCount;
    private final OutlierDetector outliers;
    private final Duration lookupTimeout;
    private final boolean peerLinks;
    /** This node's name for its callees' caps per caller: {@code <service>/<instance>}. */
    private final String caller;

    /**
     * @param balancer  shared by every exchange of the listener, so the spread is per node, not per connection;
     *                  it steps over the endpoints {@code outliers} has ejected
     * @param outliers  told how every try fared (passive outlier detection)
     * @param peerLinks reach peer nodes that accept it over the HTTP/2 link between nodes
     * @param caller    this node's name in {@code x-mesh-caller} on every request it sends: {@code <service>/<instance>}
     */
    public OutboundRouter(ServiceDirectory directory, Balancer balancer, OutlierDetector outliers, Duration lookupTimeout,
            boolean peerLinks, String caller) {
        this.caller = caller;
        this.directory = directory;
        this.balancer = new EjectingBalancer(balancer, outliers);
        this.outliers = outliers;
        this.lookupTimeout = lookupTimeout;
        this.peerLinks = peerLinks;
    }

    @Override
    public void route(Exchange exchange, HttpRequest request) {
        RequestTarget target = RequestTarget.of(request);
        if (target.problem() != null) {
            exchange.reject(target.problem(), target.message());
            return;
        }
        String service = target.service();
        // set, not added: an app cannot speak for another caller
        request.headers().set(ForwardingHeaders.MESH_CALLER, caller);
        EndpointSet endpoints = directory.endpoints(service);
        if (endpoints != null) {
            forwardTo(exchange, request, service, endpoints);
        } else {
            lookUp(exchange, request, service);
        }
    }

    private void forwardTo(Exchange exchange, HttpRequest request, String service, EndpointSet endpoints) {
        // for a retry, another endpoint than the one that failed, where one exists
        Endpoint endpoint = balancer.pick(endpoints, exchange.failedEndpoint());
        if (endpoint == null) {
            exchange.reject(ProxyError.NO_ENDPOINTS, "no endpoint of service '" + service + "' is registered",
                    "service", service);
            return;
        }
        RoutePolicy route = exchange.policy().service(service).route(request.method().name(), request.uri());
        exchange.forward(new Destination(service, endpoint.address(), peerLinks && endpoint.acceptsPeerLink()), route);
    }

    @Override
    public boolean outcome(Destination destination, ProxyError error, int status) {
        return OutlierReports.report(outliers, destination, error, status, endpointCount);
    }

    private int endpointCount(String service) {
        EndpointSet endpoints = directory.endpoints(service);
        return endpoints == null ? 1 : endpoints.size();
    }

    /** The rare path: a service the snapshot has never seen. */
    private void lookUp(Exchange exchange, HttpRequest request, String service) {
        int id = exchange.id();
        EventLoop loop = exchange.eventLoop();
        CompletableFuture<EndpointSet> answer;
        try {
            answer = directory.lookup(service);
        } catch (RuntimeException e) {
            registryUnavailable(exchange, service, e);
            return;
        }
        ScheduledFuture<?> deadline = loop.schedule(() -> {
            if (exchange.awaitingRoute(id)) {
                exchange.reject(ProxyError.REGISTRY_UNAVAILABLE, "the registry did not answer about service '" + service
                        + "' within " + lookupTimeout.toMillis() + " ms and no snapshot of it exists", "service", service);
            }
        }, lookupTimeout.toNanos(), TimeUnit.NANOSECONDS);
        answer.whenComplete((endpoints, failure) -> loop.execute(() -> {
            deadline.cancel(false);
            if (!exchange.awaitingRoute(id)) {
                return;
            }
            if (failure != null) {
                registryUnavailable(exchange, service, failure);
            } else if (endpoints == null) {
                exchange.reject(ProxyError.NO_ENDPOINTS, "no endpoint of service '" + service + "' is registered",
                        "service", service);
            } else {
                forwardTo(exchange, request, service, endpoints);
            }
        }));
    }

    private static void registryUnavailable(Exchange exchange, String service, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        exchange.reject(ProxyError.REGISTRY_UNAVAILABLE, "the registry cannot be reached and no snapshot of service '" + service
                + "' exists: " + cause.getMessage(), "service", service);
    }
}
