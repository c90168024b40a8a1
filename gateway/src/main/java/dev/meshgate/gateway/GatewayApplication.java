package dev.meshgate.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The edge of the mesh: routes from the config repository ({@code gateway.yml}), endpoints from the
 * registry, trace context started or continued here and passed to every upstream.
 */
@SpringBootApplication
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
