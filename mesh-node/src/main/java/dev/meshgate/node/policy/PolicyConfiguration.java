package dev.meshgate.node.policy;

import dev.meshgate.controlplane.PolicyReloader;
import dev.meshgate.core.policy.PolicyDocument;
import dev.meshgate.core.policy.PolicyStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The node's policy: the snapshot every exchange takes at its start, from {@code mesh.policy}, applied
 * again when the configuration changes; the {@code policy} health component says whether the latest
 * document was rejected.
 */
@Configuration(proxyBeanMethods = false)
public class PolicyConfiguration {

    /** Named for its health component, {@code policy}. */
    @Bean
    public PolicyReloader policyHealthIndicator(Environment environment) {
        return new PolicyReloader(environment, PolicyDocument::toPolicy);
    }

    @Bean
    public PolicyStore policyStore(PolicyReloader policyHealthIndicator) {
        return policyHealthIndicator.store();
    }
}
