package dev.meshgate.bench.plaingateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The peer the benchmark compares our gateway with: Spring Cloud Gateway as a user would start it,
 * its one route ({@code /** → bench.upstream}) in {@code application.yml} and no filters. A larger
 * route table can be added with {@code --spring.config.additional-location=file:routes.yml}.
 */
@SpringBootApplication
public class PlainGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(PlainGatewayApplication.class, args);
    }
}
