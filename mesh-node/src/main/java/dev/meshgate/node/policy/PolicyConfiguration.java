package dev.meshgate.node.policy;

import dev.meshgate.core.policy.PolicyStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node's policy: the snapshot every exchange takes at its start ({@link PolicyProperties} is bound by the application's scan). */
@Configuration(proxyBeanMethods = false)
public class PolicyConfiguration {

    @Bean
    public PolicyStore policyStore(PolicyProperties properties) {
        return new PolicyStore(properties.toPolicy());
    }
}
