package dev.meshgate.gateway;

import org.springframework.cloud.gateway.filter.headers.observation.DefaultGatewayObservationConvention;
import org.springframework.stereotype.Component;

/**
 * Names the gateway's per-route upstream timer {@code gateway.upstream.requests}. Gateway's default
 * name, {@code http.client.requests}, is already taken by the registry client's own HTTP calls with
 * other tag keys, and Prometheus then drops every gateway meter of that name.
 */
@Component
class UpstreamObservationConvention extends DefaultGatewayObservationConvention {

    static final String NAME = "gateway.upstream.requests";

    @Override
    public String getName() {
        return NAME;
    }
}
