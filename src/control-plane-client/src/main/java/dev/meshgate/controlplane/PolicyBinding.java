package dev.meshgate.controlplane;

import dev.meshgate.core.policy.PolicyDocument;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * {@code mesh.policy} as the config repository states it, bound to mesh-core's records the same way
 * on every data plane. Strict: a key no record has (a typo such as {@code retries.attempt}) fails
 * the binding as a bad value does, rather than being ignored. Either way the failure is an
 * {@link InvalidPolicyException} naming the file (the property source), the key and the value.
 */
public final class PolicyBinding {

    /** Where the policy lives in the configuration. */
    public static final String PREFIX = "mesh.policy";

    /** A policy that does not validate: its message names where, which key, what value and why. */
    public static final class InvalidPolicyException extends IllegalArgumentException {
        InvalidPolicyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private PolicyBinding() {
    }

    public static PolicyDocument bind(Environment environment) {
        return bind(ConfigurationPropertySources.get(environment));
    }

    public static PolicyDocument bind(Iterable<ConfigurationPropertySource> sources) {
        try {
            return new Binder(sources).bindOrCreate(PREFIX, Bindable.of(PolicyDocument.class),
                    new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
        } catch (BindException e) {
            throw new InvalidPolicyException(describe(e, sources), e);
        }
    }

    private static String describe(BindException e, Iterable<ConfigurationPropertySource> sources) {
        Throwable cause = e.getCause();
        if (cause instanceof UnboundConfigurationPropertiesException unbound) {
            StringBuilder keys = new StringBuilder();
            for (ConfigurationProperty property : unbound.getUnboundProperties()) {
                keys.append(keys.isEmpty() ? "" : "; ").append(property.getName()).append(" = '").append(property.getValue())
                        .append("' in ").append(where(property.getName(), property, sources));
            }
            return "invalid policy: unknown key " + keys;
        }
        ConfigurationPropertyName name = e.getName();
        ConfigurationProperty property = e.getProperty();
        String value = property != null ? " = '" + property.getValue() + "'" : "";
        return "invalid policy: " + name + value + " in " + where(name, property, sources) + ": " + rootMessage(e);
    }

    /** The origin (file and line) where the property has one, else the property source holding the key or its children. */
    private static String where(ConfigurationPropertyName name, ConfigurationProperty property,
            Iterable<ConfigurationPropertySource> sources) {
        if (property != null && property.getOrigin() != null) {
            // a file's origin says file, line and column; a plain property source's, only its name
            return property.getOrigin() instanceof PropertySourceOrigin source ? source.getPropertySource().getName()
                    : property.getOrigin().toString();
        }
        for (ConfigurationPropertySource source : sources) {
            boolean holds = source.getConfigurationProperty(name) != null || (source instanceof IterableConfigurationPropertySource all
                    && all.stream().anyMatch(name::isAncestorOf));
            if (holds) {
                return source.getUnderlyingSource() instanceof PropertySource<?> named ? named.getName() : "the configuration";
            }
        }
        return "an unknown source";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
