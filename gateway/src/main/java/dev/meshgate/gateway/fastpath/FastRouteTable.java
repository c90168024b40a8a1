package dev.meshgate.gateway.fastpath;

import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which requests the fast path may take, derived from Gateway's own route table (the one source of
 * truth): a request goes fast only when the first route Gateway would match is a {@link FastRoute}.
 *
 * <p>Routes are walked in Gateway's order. A route of the simple shape claims its first segment
 * unless an earlier route already did. Any other route might match anything, so from there on every
 * segment not yet claimed is left to Gateway ({@link #lookup} returns null). Segments reserved for
 * other handlers (the actuator base path) are never claimed.
 */
public final class FastRouteTable {

    private static final Pattern LITERAL_SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final FastRouteTable EMPTY = new FastRouteTable(Map.of(), 0);

    private final Map<String, FastRoute> bySegment;
    private final int routeCount;

    private FastRouteTable(Map<String, FastRoute> bySegment, int routeCount) {
        this.bySegment = bySegment;
        this.routeCount = routeCount;
    }

    public static FastRouteTable empty() {
        return EMPTY;
    }

    /**
     * @param routes       the routes in the order Gateway tests them
     * @param definitions  the definitions they were built from, by id
     * @param reserved     first path segments other handlers serve before Gateway (e.g. {@code actuator})
     */
    public static FastRouteTable of(List<Route> routes, Map<String, RouteDefinition> definitions, List<String> reserved) {
        Map<String, FastRoute> bySegment = new HashMap<>();
        boolean opaqueSeen = false;
        int fast = 0;
        for (Route route : routes) {
            FastRoute simple = simpleShape(route, definitions.get(route.getId()));
            if (simple == null) {
                opaqueSeen = true;
                continue;
            }
            if (!opaqueSeen && !reserved.contains(simple.segment()) && !bySegment.containsKey(simple.segment())) {
                bySegment.put(simple.segment(), simple);
                fast++;
            } else {
                // claimed earlier, or an opaque route before it may match first: Gateway decides
                bySegment.putIfAbsent(simple.segment(), null);
            }
        }
        Map<String, FastRoute> claimed = new HashMap<>();
        bySegment.forEach((segment, route) -> {
            if (route != null) {
                claimed.put(segment, route);
            }
        });
        return new FastRouteTable(Map.copyOf(claimed), fast);
    }

    /** How many routes the fast path serves. */
    public int size() {
        return routeCount;
    }

    /**
     * The route for a raw request target (origin form), or null when Gateway must decide: another
     * route may come first, the path is not plain (percent-encoded, matrix parameters, dot segments),
     * or no simple route claims its first segment.
     */
    public FastRoute lookup(String rawTarget) {
        if (bySegment.isEmpty() || rawTarget.isEmpty() || rawTarget.charAt(0) != '/') {
            return null;
        }
        int end = 1;
        int length = rawTarget.length();
        while (end < length) {
            char c = rawTarget.charAt(end);
            if (c == '/' || c == '?') {
                break;
            }
            end++;
        }
        FastRoute route = bySegment.get(rawTarget.substring(1, end));
        if (route == null || !plainPath(rawTarget)) {
            return null;
        }
        return route;
    }

    /** No character whose meaning Gateway's path matching would interpret differently from ours. */
    private static boolean plainPath(String rawTarget) {
        int length = rawTarget.length();
        char previous = 0;
        for (int i = 0; i < length; i++) {
            char c = rawTarget.charAt(i);
            if (c == '?' || c == '#') {
                return c == '?';
            }
            if (c == '%' || c == ';' || c == '\\' || c <= ' ' || c >= 0x7f || (c == '/' && previous == '/')
                    || (c == '.' && previous == '/')) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    static FastRoute simpleShape(Route route, RouteDefinition definition) {
        if (definition == null || !definition.getMetadata().isEmpty()
                || route.getFilters().size() != definition.getFilters().size()) {
            return null;
        }
        List<PredicateDefinition> predicates = definition.getPredicates();
        if (predicates.size() != 1 || !"Path".equals(predicates.get(0).getName())) {
            return null;
        }
        Map<String, String> args = predicates.get(0).getArgs();
        String pattern = null;
        for (Map.Entry<String, String> arg : args.entrySet()) {
            if (arg.getKey().startsWith("_genkey_") || arg.getKey().startsWith("patterns")) {
                if (pattern != null) {
                    return null;
                }
                pattern = arg.getValue();
            } else if (!("matchTrailingSlash".equals(arg.getKey()) && "true".equalsIgnoreCase(arg.getValue()))) {
                return null;
            }
        }
        // "/<segment>/**": a catch-all "/**" has no segment and is Gateway's
        if (pattern == null || pattern.length() < 5 || !pattern.startsWith("/") || !pattern.endsWith("/**")) {
            return null;
        }
        String segment = pattern.substring(1, pattern.length() - 3);
        if (!LITERAL_SEGMENT.matcher(segment).matches()) {
            return null;
        }
        int strip = 0;
        for (FilterDefinition filter : definition.getFilters()) {
            if (!"StripPrefix".equals(filter.getName()) || strip != 0 || filter.getArgs().size() > 1) {
                return null;
            }
            String parts = filter.getArgs().isEmpty() ? "1" : filter.getArgs().values().iterator().next();
            try {
                strip = Integer.parseInt(parts.trim());
            } catch (NumberFormatException e) {
                return null;
            }
            if (strip < 1) {
                return null;
            }
        }
        URI uri = route.getUri();
        String scheme = uri.getScheme();
        if ("lb".equals(scheme) && uri.getHost() != null && uri.getPort() < 0) {
            return new FastRoute(route.getId(), uri.toString(), segment, strip, uri.getHost(), null, -1);
        }
        if ("http".equals(scheme) && uri.getHost() != null && !uri.getHost().startsWith("[") && uri.getRawUserInfo() == null) {
            return new FastRoute(route.getId(), uri.toString(), segment, strip, null, uri.getHost(),
                    uri.getPort() < 0 ? 80 : uri.getPort());
        }
        return null;
    }
}
