package dev.meshgate.gateway;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.function.IntSupplier;

/** Names a test's loopback server as the one instance of a service, through Spring Cloud's simple discovery. */
public final class LoopbackInstances {

    private LoopbackInstances() {
    }

    /** {@code service} resolves to {@code http://127.0.0.1:<port>}; the port is read when the context starts. */
    public static void register(DynamicPropertyRegistry registry, String service, IntSupplier port) {
        registry.add("spring.cloud.discovery.client.simple.instances." + service + "[0].uri",
                () -> "http://127.0.0.1:" + port.getAsInt());
    }
}
