package dev.meshgate.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The edge of the mesh: routes from the config repository ({@code gateway.yml}), endpoints from the
 * registry, trace context started or continued here and passed to every upstream.
 */
@SpringBootApplication
public class GatewayApplication {

    /** Reactor Netty's event-loop count; its default, max(cores, 4), is kept when this property is set. */
    static final String EVENT_LOOPS_PROPERTY = "reactor.netty.ioWorkerCount";

    public static void main(String[] args) {
        useOneEventLoopPerCore();
        SpringApplication.run(GatewayApplication.class, args);
    }

    /**
     * Reactor Netty starts at least 4 event loops; on a 2-core host the extra loops only add context
     * switches and cross-loop hand-offs between the inbound connection and its upstream (measured: 4
     * loops on 2 cores cost more CPU per request than 2). Set before any Netty resource is created.
     */
    static void useOneEventLoopPerCore() {
        if (System.getProperty(EVENT_LOOPS_PROPERTY) == null) {
            System.setProperty(EVENT_LOOPS_PROPERTY, String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
    }
}
