package dev.meshgate.gateway.route;

import org.springframework.cloud.gateway.handler.predicate.PathRoutePredicateFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.support.HasConfig;
import org.springframework.http.server.PathContainer;
import org.springframework.util.StringUtils;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The route table indexed by the first path segment its Path predicate requires, so that a lookup
 * tests only the routes that can match the request instead of every route in order.
 *
 * <p>A route is indexed when it comes from a {@link RouteDefinition} (whose predicates Gateway
 * always combines with AND, so its Path predicate must hold for the route to match) with exactly one
 * Path predicate whose every pattern starts with a literal segment ({@code /planner/**},
 * {@code /a/{id}}). Every other route ({@code /{x}/b}, {@code /**}, Host- or Method-only routes,
 * Java DSL routes that may combine predicates with OR or NOT) is checked for every request.
 * Candidates are returned in the original route order and their predicates still decide, so the
 * first matching route wins exactly as in Gateway's linear scan. Keys are compared in lower case:
 * a superset of what a case-sensitive pattern accepts, which stays correct if the Path predicate's
 * parser is configured case-insensitive.
 */
public final class RouteIndex {

    /** Characters a literal segment may hold and still compare equal to the decoded request segment. */
    private static final Pattern LITERAL_SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");

    private final List<Route> routes;
    private final Map<String, int[]> positionsBySegment;
    private final int[] alwaysChecked;

    private RouteIndex(List<Route> routes, Map<String, int[]> positionsBySegment, int[] alwaysChecked) {
        this.routes = routes;
        this.positionsBySegment = positionsBySegment;
        this.alwaysChecked = alwaysChecked;
    }

    /**
     * Indexes routes (in Gateway's order) by the definitions they were built from.
     *
     * @param routes      the routes in the order Gateway tests them
     * @param definitions the route definitions by id; a route without one is always checked
     * @param basePath    {@code spring.webflux.base-path}, which Gateway prepends to every Path pattern
     */
    public static RouteIndex of(List<Route> routes, Map<String, RouteDefinition> definitions, String basePath) {
        List<Route> ordered = List.copyOf(routes);
        Map<String, List<Integer>> bySegment = new HashMap<>();
        List<Integer> always = new ArrayList<>();
        for (int position = 0; position < ordered.size(); position++) {
            Route route = ordered.get(position);
            Set<String> segments = requiredFirstSegments(route, definitions.get(route.getId()), basePath);
            if (segments.isEmpty()) {
                always.add(position);
            }
            for (String segment : segments) {
                bySegment.computeIfAbsent(segment, key -> new ArrayList<>()).add(position);
            }
        }
        Map<String, int[]> positionsBySegment = new HashMap<>(bySegment.size() * 2);
        bySegment.forEach((segment, positions) -> positionsBySegment.put(segment, toArray(positions)));
        return new RouteIndex(ordered, positionsBySegment, toArray(always));
    }

    public int size() {
        return routes.size();
    }

    /** How many routes cannot be indexed and are tested for every request. */
    public int alwaysCheckedCount() {
        return alwaysChecked.length;
    }

    /**
     * The routes that may match a request on this path, in route order: those indexed under its
     * first segment, merged with those always checked.
     *
     * @param path the request path as Gateway's Path predicate parses it (the raw path)
     */
    public List<Route> candidates(PathContainer path) {
        int[] indexed = positionsBySegment.get(firstSegment(path));
        if (indexed == null) {
            return positionsToRoutes(alwaysChecked);
        }
        if (alwaysChecked.length == 0) {
            return positionsToRoutes(indexed);
        }
        List<Route> merged = new ArrayList<>(indexed.length + alwaysChecked.length);
        int i = 0;
        int a = 0;
        while (i < indexed.length || a < alwaysChecked.length) {
            boolean takeIndexed = a == alwaysChecked.length || (i < indexed.length && indexed[i] < alwaysChecked[a]);
            merged.add(routes.get(takeIndexed ? indexed[i++] : alwaysChecked[a++]));
        }
        return merged;
    }

    private List<Route> positionsToRoutes(int[] positions) {
        if (positions.length == routes.size()) {
            return routes;
        }
        List<Route> selected = new ArrayList<>(positions.length);
        for (int position : positions) {
            selected.add(routes.get(position));
        }
        return selected;
    }

    /** The request's first segment (decoded, path parameters removed, lower case), or "" when it has none. */
    static String firstSegment(PathContainer path) {
        List<PathContainer.Element> elements = path.elements();
        if (elements.size() < 2 || !(elements.get(0) instanceof PathContainer.Separator)
                || !(elements.get(1) instanceof PathContainer.PathSegment segment)) {
            return "";
        }
        return segment.valueToMatch().toLowerCase(Locale.ROOT);
    }

    /**
     * The first segments one of which a request needs for this route to match; empty when the route
     * must always be checked.
     */
    static Set<String> requiredFirstSegments(Route route, RouteDefinition definition, String basePath) {
        if (definition == null || definition.getPredicates().stream()
                .filter(predicate -> "Path".equals(predicate.getName())).count() != 1) {
            return Set.of();
        }
        List<PathRoutePredicateFactory.Config> pathConfigs = new ArrayList<>();
        route.getPredicate().accept(predicate -> {
            if (predicate.getConfig() instanceof PathRoutePredicateFactory.Config config) {
                pathConfigs.add(config);
            }
        });
        if (pathConfigs.size() != 1 || pathConfigs.get(0).getPatterns().isEmpty()) {
            return Set.of();
        }
        Set<String> segments = new LinkedHashSet<>();
        for (String pattern : pathConfigs.get(0).getPatterns()) {
            String segment = literalFirstSegment(effectivePattern(pattern, basePath));
            if (segment == null) {
                return Set.of();
            }
            segments.add(segment);
        }
        return Collections.unmodifiableSet(segments);
    }

    /** The pattern as PathRoutePredicateFactory parses it: the base path, when set, comes first. */
    private static String effectivePattern(String pattern, String basePath) {
        if (!StringUtils.hasText(basePath)) {
            return pattern;
        }
        return pattern.length() > 1 && !pattern.startsWith("/") ? basePath + "/" + pattern : basePath + pattern;
    }

    /** The literal first segment in lower case, or null for a variable, wildcard, empty or unusual one. */
    static String literalFirstSegment(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            return null;
        }
        int end = pattern.indexOf('/', 1);
        String segment = end < 0 ? pattern.substring(1) : pattern.substring(1, end);
        return LITERAL_SEGMENT.matcher(segment).matches() ? segment.toLowerCase(Locale.ROOT) : null;
    }

    private static int[] toArray(List<Integer> positions) {
        return positions.stream().mapToInt(Integer::intValue).toArray();
    }
}
