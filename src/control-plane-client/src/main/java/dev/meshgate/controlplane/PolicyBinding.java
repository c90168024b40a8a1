package dev.meshgate.controlplane;

import dev.meshgate.core.policy.PolicyDocument;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.core.env.Environment;

/**
 * {@code mesh.policy} as the config repository states it, bound to mesh-core's records the same way
 * on every data plane. Strict: a key no record has (a typo such as {@code retries.attempt}) fails
 * the binding naming it and its value, as a bad value does, rather than being ignored.
 */
public final class PolicyBinding {

    /** Where the policy lives in the configuration. */
    public static final String PREFIX = "mesh.policy";

    private PolicyBinding() {
    }

    public static PolicyDocument bind(Environment environment) {
        return bind(Binder.get(environment));
    }

    public static PolicyDocument bind(Binder binder) {
        return binder.bindOrCreate(PREFIX, Bindable.of(PolicyDocument.class),
                new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
    }
}
