package dev.meshgate.proxy.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Why the proxy answered a request itself: the status it sends and the code in the JSON body. */
public enum ProxyError {
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "bad_request"),
    MISSING_HOST(HttpResponseStatus.BAD_REQUEST, "missing_host"),
    REQUEST_HEAD_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT, "request_head_timeout"),
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long"),
    HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large"),
    METHOD_NOT_SUPPORTED(HttpResponseStatus.NOT_IMPLEMENTED, "method_not_supported"),
    NO_ENDPOINTS(HttpResponseStatus.SERVICE_UNAVAILABLE, "no_endpoints"),
    REGISTRY_UNAVAILABLE(HttpResponseStatus.SERVICE_UNAVAILABLE, "registry_unavailable"),
    OVERLOADED(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded"),
    CIRCUIT_OPEN(HttpResponseStatus.SERVICE_UNAVAILABLE, "circuit_open"),
    /** A route's fault policy aborted the request; it answers with the policy's status, this is its default. */
    FAULT_INJECTED(HttpResponseStatus.SERVICE_UNAVAILABLE, "fault_injected"),
    UPSTREAM_CONNECT_REFUSED(HttpResponseStatus.BAD_GATEWAY, "upstream_connect_refused"),
    UPSTREAM_CONNECT_TIMEOUT(HttpResponseStatus.BAD_GATEWAY, "upstream_connect_timeout"),
    UPSTREAM_CONNECT_FAILED(HttpResponseStatus.BAD_GATEWAY, "upstream_connect_failed"),
    UPSTREAM_RESET(HttpResponseStatus.BAD_GATEWAY, "upstream_reset"),
    UPSTREAM_BAD_RESPONSE(HttpResponseStatus.BAD_GATEWAY, "upstream_bad_response"),
    UPSTREAM_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream_timeout"),
    INTERNAL_ERROR(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error");

    private final HttpResponseStatus status;
    private final String code;

    ProxyError(HttpResponseStatus status, String code) {
        this.status = status;
        this.code = code;
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
