package dev.meshgate.gateway.fastpath;

/**
 * A route the fast path forwards itself: {@code Path=/<segment>/**}, optionally {@code StripPrefix=n},
 * to a fixed {@code http://host:port} or to {@code lb://<service>}.
 *
 * @param id       the Gateway route id (metrics tags, error logs)
 * @param uri      the route URI as Gateway shows it (metrics tag {@code routeUri})
 * @param segment  the literal first path segment the Path predicate requires
 * @param strip    how many leading path segments StripPrefix removes (0 without the filter)
 * @param service  the service name of an {@code lb://} route, or null
 * @param host     the fixed upstream host of an {@code http://} route, or null
 * @param port     the fixed upstream port of an {@code http://} route
 */
public record FastRoute(String id, String uri, String segment, int strip, String service, String host, int port) {

    public boolean balanced() {
        return service != null;
    }

    /** The service name the error bodies use: the lb service, or the host of a fixed URI. */
    public String serviceName() {
        return service != null ? service : host;
    }

    /**
     * The upstream request target for a raw request target ({@code /bench/bytes?size=1}): the path with
     * {@link #strip} segments removed as {@code StripPrefixGatewayFilterFactory} does, query kept.
     */
    public String target(String rawTarget) {
        if (strip == 0) {
            return rawTarget;
        }
        int query = rawTarget.indexOf('?');
        String path = query < 0 ? rawTarget : rawTarget.substring(0, query);
        StringBuilder out = new StringBuilder(rawTarget.length());
        out.append('/');
        int skipped = 0;
        int length = path.length();
        int i = 0;
        while (i < length) {
            while (i < length && path.charAt(i) == '/') {
                i++;
            }
            int start = i;
            while (i < length && path.charAt(i) != '/') {
                i++;
            }
            if (i > start) {
                if (skipped < strip) {
                    skipped++;
                } else {
                    if (out.length() > 1) {
                        out.append('/');
                    }
                    out.append(path, start, i);
                }
            }
        }
        if (out.length() > 1 && path.endsWith("/")) {
            out.append('/');
        }
        if (query >= 0) {
            out.append(rawTarget, query, rawTarget.length());
        }
        return out.toString();
    }
}
