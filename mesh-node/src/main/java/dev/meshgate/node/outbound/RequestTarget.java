package dev.meshgate.node.outbound;

import dev.meshgate.proxy.http.ProxyError;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

import java.util.Locale;

/**
 * The service an outbound request is for, read from its request target (RFC 9112 §3.2): an
 * absolute-form target is rewritten to origin-form with its authority as {@code Host}, an
 * origin-form target is routed by {@code Host}.
 */
record RequestTarget(String service, ProxyError problem, String message) {

    private static final String HTTP_SCHEME = "http://";
    private static final String HTTPS_SCHEME = "https://";

    static RequestTarget of(HttpRequest request) {
        String uri = request.uri();
        String authority;
        if (uri.regionMatches(true, 0, HTTP_SCHEME, 0, HTTP_SCHEME.length())) {
            int start = HTTP_SCHEME.length();
            int end = start;
            while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
                end++;
            }
            authority = uri.substring(start, end);
            int userInfo = authority.lastIndexOf('@');
            if (userInfo >= 0) {
                authority = authority.substring(userInfo + 1);
            }
            request.setUri(originForm(uri, end));
            request.headers().set(HttpHeaderNames.HOST, authority);
        } else if (uri.regionMatches(true, 0, HTTPS_SCHEME, 0, HTTPS_SCHEME.length())) {
            return problem(ProxyError.BAD_REQUEST, "https:// targets need a CONNECT tunnel, which the outbound "
                    + "listener does not support yet: call http://<service>/ and let the mesh secure the hop");
        } else if (uri.startsWith("/") || "*".equals(uri)) {
            authority = request.headers().get(HttpHeaderNames.HOST);
            if (authority == null || authority.isBlank()) {
                return problem(ProxyError.MISSING_HOST, "the request has no Host header, so the outbound listener "
                        + "cannot tell which service it is for: send Host: <service> or an absolute http://<service>/ URI");
            }
        } else {
            return problem(ProxyError.BAD_REQUEST, "unsupported request target '" + uri
                    + "': expected /path with a Host header, or http://<service>/path");
        }
        String service = serviceName(authority.trim());
        if (service.isEmpty()) {
            return problem(ProxyError.MISSING_HOST, "the request target names no host, so the outbound listener "
                    + "cannot tell which service it is for");
        }
        return new RequestTarget(service, null, null);
    }

    /** The host part of an authority, lower-case, without port or trailing dot. */
    static String serviceName(String authority) {
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close > 0 ? authority.substring(0, close + 1) : authority;
        } else {
            int colon = authority.indexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    private static String originForm(String uri, int authorityEnd) {
        if (authorityEnd >= uri.length()) {
            return "/";
        }
        int fragment = uri.indexOf('#', authorityEnd);
        String rest = fragment >= 0 ? uri.substring(authorityEnd, fragment) : uri.substring(authorityEnd);
        if (rest.isEmpty()) {
            return "/";
        }
        return rest.charAt(0) == '/' ? rest : "/" + rest;
    }

    private static RequestTarget problem(ProxyError problem, String message) {
        return new RequestTarget(null, problem, message);
    }
}
