package dev.meshgate.gateway;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.reactivestreams.Publisher;
import org.springframework.test.context.DynamicPropertyRegistry;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.util.function.BiFunction;

/**
 * A real Reactor Netty server on a loopback port 0 standing in for a service's one instance, for the
 * lifetime of a test class: registered as a static {@code @RegisterExtension} field, it is up before
 * the class's Spring context starts and stopped after its last test, whatever the outcome.
 */
public class LoopbackUpstream implements BeforeAllCallback, AfterAllCallback {

    private final String service;
    private final BiFunction<? super HttpServerRequest, ? super HttpServerResponse, ? extends Publisher<Void>> handler;
    private DisposableServer server;

    protected LoopbackUpstream(String service,
            BiFunction<? super HttpServerRequest, ? super HttpServerResponse, ? extends Publisher<Void>> handler) {
        this.service = service;
        this.handler = handler;
    }

    /** {@code service}'s instance, answering every request with {@code handler}. */
    public static LoopbackUpstream serving(String service,
            BiFunction<? super HttpServerRequest, ? super HttpServerResponse, ? extends Publisher<Void>> handler) {
        return new LoopbackUpstream(service, handler);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = HttpServer.create().host("127.0.0.1").port(0).handle(handler).bindNow();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.disposeNow();
            server = null;
        }
    }

    public int port() {
        return server.port();
    }

    /** Names this server as the service's instance in Spring Cloud's simple discovery (read when the context starts). */
    public void register(DynamicPropertyRegistry registry) {
        LoopbackInstances.register(registry, service, this::port);
    }
}
