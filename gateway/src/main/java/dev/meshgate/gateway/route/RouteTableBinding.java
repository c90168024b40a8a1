package dev.meshgate.gateway.route;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteDefinition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Binds Gateway's route table ({@code spring.cloud.gateway.server.webflux.routes}) in one pass over
 * the property source that holds it. Boot's binder finds the elements of every nested list and map
 * (each route's predicates, filters and metadata) by scanning every property name of the source, so
 * its time grows with the square of the table: 10,000 routes cost about a minute of CPU at start-up,
 * and again at every configuration refresh, which rebinds {@link GatewayProperties}.
 *
 * <p>The result is Boot's own: the first property source that holds routes supplies all of them (as
 * Boot binds lists), and each route is bound by a {@link Binder} (same conversions, placeholders and
 * error messages naming the property and its origin) over only that route's properties. The
 * validation of {@link GatewayProperties} then runs over the whole table as before. A shape this
 * class does not handle (the list given as one value, a gap in the indexes, a source that cannot
 * list its names, a route that binds nothing) is left to Boot's binder, which reports it as usual.
 * So is a table no source holds: Boot then binds nothing and a refresh leaves the routes in force in
 * place, so a configuration reloaded while the config server is away never empties the gateway.
 */
public final class RouteTableBinding implements ConfigurationPropertiesBindHandlerAdvisor {

    private static final ConfigurationPropertyName GATEWAY = ConfigurationPropertyName.of(GatewayProperties.PREFIX);
    private static final ConfigurationPropertyName ROUTES = GATEWAY.append("routes");

    private static final Log log = LogFactory.getLog(RouteTableBinding.class);

    private final PlaceholdersResolver placeholders;

    private volatile int lastBoundInOnePass = -1;

    /** @param placeholders resolves {@code ${...}} in route values, as the application's binder does */
    public RouteTableBinding(PlaceholdersResolver placeholders) {
        this.placeholders = placeholders;
    }

    @Override
    public BindHandler apply(BindHandler bindHandler) {
        return new Handler(bindHandler);
    }

    /** How many routes the last binding bound in one pass; -1 when it left the table to Boot's binder. */
    public int lastBoundInOnePass() {
        return lastBoundInOnePass;
    }

    /** One per binding of a configuration properties bean, so the routes it bound belong to that binding. */
    private final class Handler extends AbstractBindHandler {

        private @Nullable List<RouteDefinition> routes;

        Handler(BindHandler parent) {
            super(parent);
        }

        @Override
        public <T> @Nullable Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target,
                BindContext context) {
            if (ROUTES.equals(name) && context.getDepth() == 1
                    && RouteDefinition.class.equals(target.getType().resolveGeneric(0))) {
                long started = System.nanoTime();
                routes = bindInOnePass(context.getSources());
                lastBoundInOnePass = routes != null ? routes.size() : -1;
                if (routes != null) {
                    if (log.isDebugEnabled()) {
                        log.debug(String.format("Bound %d routes in one pass in %d ms", routes.size(),
                                (System.nanoTime() - started) / 1_000_000));
                    }
                    return null; // skips Boot's binding of the list: onFinish hands it to the bean
                }
            }
            return super.onStart(name, target, context);
        }

        @Override
        public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                @Nullable Object result) throws Exception {
            if (routes != null && context.getDepth() == 0 && GATEWAY.equals(name)) {
                Supplier<?> existing = target.getValue();
                Object bound = result != null ? result : existing != null ? existing.get() : null;
                if (bound instanceof GatewayProperties gateway) {
                    gateway.setRoutes(routes);
                }
            }
            super.onFinish(name, target, context, result);
        }
    }

    /** The routes of the first source that holds any, or null to leave the list to Boot's binder. */
    private @Nullable List<RouteDefinition> bindInOnePass(Iterable<ConfigurationPropertySource> sources) {
        for (ConfigurationPropertySource source : sources) {
            if (source.getConfigurationProperty(ROUTES) != null) {
                return null; // the list as one value
            }
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                if (source.containsDescendantOf(ROUTES) != ConfigurationPropertyState.ABSENT) {
                    return null;
                }
                continue;
            }
            TreeMap<Integer, Map<ConfigurationPropertyName, ConfigurationProperty>> byIndex = new TreeMap<>();
            int indexElement = ROUTES.getNumberOfElements();
            for (ConfigurationPropertyName name : iterable) {
                if (!ROUTES.isAncestorOf(name)) {
                    continue;
                }
                String index = name.getElement(indexElement, Form.UNIFORM);
                if (!name.isNumericIndex(indexElement) || index.length() > 9) {
                    return null; // not a list of routes, or an index no int holds
                }
                ConfigurationProperty property = iterable.getConfigurationProperty(name);
                if (property != null) {
                    byIndex.computeIfAbsent(Integer.parseInt(index), ignored -> new HashMap<>()).put(name, property);
                }
            }
            if (byIndex.isEmpty()) {
                continue;
            }
            if (byIndex.lastKey() != byIndex.size() - 1) {
                return null; // a gap in the indexes
            }
            List<RouteDefinition> routes = new ArrayList<>(byIndex.size());
            for (Map.Entry<Integer, Map<ConfigurationPropertyName, ConfigurationProperty>> route : byIndex.entrySet()) {
                Binder binder = new Binder(List.of(new RouteSource(route.getValue())), placeholders);
                RouteDefinition definition = binder
                        .bind(ROUTES.append("[" + route.getKey() + "]"), Bindable.of(RouteDefinition.class))
                        .orElse(null);
                if (definition == null) {
                    return null;
                }
                routes.add(definition);
            }
            return routes;
        }
        return null;
    }

    /** The properties of one route, keyed by their full names, with the values and origins of their source. */
    private record RouteSource(Map<ConfigurationPropertyName, ConfigurationProperty> properties)
            implements IterableConfigurationPropertySource {

        @Override
        public @Nullable ConfigurationProperty getConfigurationProperty(ConfigurationPropertyName name) {
            return properties.get(name);
        }

        @Override
        public Stream<ConfigurationPropertyName> stream() {
            return properties.keySet().stream();
        }
    }
}
