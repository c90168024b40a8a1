package dev.meshgate.node.inbound;

import dev.meshgate.core.policy.BulkheadPolicy;
import dev.meshgate.core.policy.ServicePolicy;
import dev.meshgate.proxy.cluster.CallerCaps;
import dev.meshgate.proxy.exchange.Destination;
import dev.meshgate.proxy.exchange.Exchange;
import dev.meshgate.proxy.exchange.ExchangeRecorder;
import dev.meshgate.proxy.exchange.Router;
import dev.meshgate.proxy.http.ForwardingHeaders;
import dev.meshgate.proxy.http.ProxyError;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The inbound stack's router: every request goes to the local app, under the policy of the service
 * this node fronts, and, where that service's bulkhead sets {@code max-requests-per-caller}, within
 * the caller's cap (the caller as its node names it in {@code x-mesh-caller}, else the client's
 * address): one runaway caller is refused at once while the others go on.
 */
public final class InboundRouter implements Router {

    private static final String PER_CALLER = "max-requests-per-caller";

    private final String service;
    private final Destination app;
    private final CallerCaps callers;
    private final ExchangeRecorder recorder;

    /** @param service the service this node fronts, whose policy applies to calls to its app */
    public InboundRouter(String service, Destination app, CallerCaps callers, ExchangeRecorder recorder) {
        this.service = service;
        this.app = app;
        this.callers = callers;
        this.recorder = recorder;
    }

    @Override
    public void route(Exchange exchange, HttpRequest request) {
        ServicePolicy own = exchange.policy().service(service);
        BulkheadPolicy caps = own.bulkhead();
        if (caps != null && caps.maxRequestsPerCaller() != null && !admitted(exchange, request, caps.maxRequestsPerCaller())) {
            return;
        }
        exchange.forward(app, own.route(request.method().name(), request.uri()));
    }

    private boolean admitted(Exchange exchange, HttpRequest request, int cap) {
        String caller = request.headers().get(ForwardingHeaders.MESH_CALLER);
        if (caller == null || caller.isBlank()) {
            caller = exchange.clientIp();
        }
        CallerCaps.Permit permit = callers.admit(caller, cap);
        if (permit == null) {
            recorder.bulkheadRejected(service, PER_CALLER);
            exchange.reject(ProxyError.OVERLOADED, caller + " has " + cap + " requests in flight to " + service
                    + ", its bulkhead's " + PER_CALLER + "; other callers are still served",
                    "service", service, "caller", caller, "limit", PER_CALLER, "cap", cap);
            return false;
        }
        exchange.holdUntilEnd(permit);
        return true;
    }
}
