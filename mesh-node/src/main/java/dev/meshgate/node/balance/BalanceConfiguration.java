package dev.meshgate.node.balance;

import dev.meshgate.core.balance.Balancer;
import dev.meshgate.core.balance.RoundRobinBalancer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's balancer: one instance shared by every exchange of the outbound stack, so the spread
 * over a service's endpoints is per node, not per connection. Discovery hands out endpoint sets and
 * never a choice, so another algorithm is a bean here, not a change to discovery or the stacks.
 */
@Configuration(proxyBeanMethods = false)
public class BalanceConfiguration {

    @Bean
    public Balancer meshBalancer() {
        return new RoundRobinBalancer();
    }
}
