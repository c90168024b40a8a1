package dev.meshgate.node;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
@org.springframework.boot.context.properties.ConfigurationPropertiesScan
public class MeshNodeApplication {
    public static void main(String[] args) {
        SpringApplication.run(MeshNodeApplication.class, args);
    }
}
