package dev.meshgate.node.policy;

import dev.meshgate.core.policy.PolicyDocument;
import dev.meshgate.core.policy.PolicyStore;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The node's policy: the snapshot every exchange takes at its start, from {@code mesh.policy}. */
@Configuration(proxyBeanMethods = false)
public class PolicyConfiguration {

    /** The prefix of the policy in the configuration, the same for every data plane. */
    public static final String PREFIX = "mesh.policy";

    @Bean
    public PolicyStore policyStore(Environment environment) {
        return new PolicyStore(Binder.get(environment).bindOrCreate(PREFIX, PolicyDocument.class).toPolicy());
    }
}
