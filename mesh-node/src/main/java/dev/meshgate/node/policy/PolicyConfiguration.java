package dev.meshgate.node.policy;

import dev.meshgate.controlplane.PolicyBinding;
import dev.meshgate.core.policy.PolicyStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The node's policy: the snapshot every exchange takes at its start, from {@code mesh.policy}. */
@Configuration(proxyBeanMethods = false)
public class PolicyConfiguration {

    @Bean
    public PolicyStore policyStore(Environment environment) {
        return new PolicyStore(PolicyBinding.bind(environment).toPolicy());
    }
}
