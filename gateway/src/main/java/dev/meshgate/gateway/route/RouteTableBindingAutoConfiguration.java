package dev.meshgate.gateway.route;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Binds the route table in one pass ({@link RouteTableBinding}) unless
 * {@code mesh.gateway.route-table-binding.enabled=false}. The bean method is static and needs only the
 * environment: Boot looks its advisors up when it binds the first configuration properties bean.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "mesh.gateway.route-table-binding", name = "enabled", matchIfMissing = true)
public class RouteTableBindingAutoConfiguration {

    @Bean
    static RouteTableBinding routeTableBinding(Environment environment) {
        return new RouteTableBinding(new PropertySourcesPlaceholdersResolver(environment));
    }
}
