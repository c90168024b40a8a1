package dev.meshgate.bench.contender;

import java.util.ArrayList;
import java.util.List;

/**
 * A Spring Cloud Gateway route table as a YAML document for {@code spring.config.additional-location}:
 * either one route, or a generated table of many (route {@code i} matches {@code /r<i>/**}), to see
 * whether route lookup stays cheap as the table grows.
 */
public record GatewayRoutes(List<Route> routes) {

    /** One route: its id, path prefix and target URI; {@code stripPrefix} drops the prefix before forwarding. */
    public record Route(String id, String pathPrefix, String uri, boolean stripPrefix) {
    }

    public static GatewayRoutes single(String pathPrefix, String uri) {
        return new GatewayRoutes(List.of(new Route("bench", pathPrefix, uri, true)));
    }

    /** {@code count} routes {@code /r0/**} … {@code /r<count-1>/**}, all to {@code uri}, prefix stripped. */
    public static GatewayRoutes generated(int count, String uri) {
        if (count < 1) {
            throw new IllegalArgumentException("a route table needs at least one route, was " + count);
        }
        List<Route> routes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            routes.add(new Route("r" + i, "/r" + i, uri, true));
        }
        return new GatewayRoutes(routes);
    }

    /** The path prefix of the last route: the worst case for a lookup that scans the table in order. */
    public String lastPrefix() {
        return routes.get(routes.size() - 1).pathPrefix();
    }

    public String toYaml() {
        StringBuilder yaml = new StringBuilder(routes.size() * 160);
        yaml.append("spring:\n  cloud:\n    gateway:\n      server:\n        webflux:\n          routes:\n");
        for (Route route : routes) {
            yaml.append("            - id: ").append(route.id()).append('\n')
                    .append("              uri: ").append(route.uri()).append('\n')
                    .append("              predicates:\n")
                    .append("                - Path=").append(route.pathPrefix()).append("/**\n");
            if (route.stripPrefix()) {
                yaml.append("              filters:\n                - StripPrefix=1\n");
            }
        }
        return yaml.toString();
    }
}
