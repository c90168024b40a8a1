package dev.meshgate.controlplane;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.util.concurrent.atomic.AtomicInteger;

/** A config server on a loopback port 0 that answers every request with a status a test sets. */
final class FakeConfigServer implements AutoCloseable {

    private final AtomicInteger status = new AtomicInteger(503);
    private final AtomicInteger requests = new AtomicInteger();
    private final DisposableServer server;

    FakeConfigServer() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    requests.incrementAndGet();
                    return response.status(status.get())
                            .header("content-type", "application/json")
                            .sendString(Mono.just("{\"name\":\"app\",\"profiles\":[\"default\"],\"propertySources\":[]}"));
                })
                .bindNow();
    }

    /** Answers 200 from now on, as a config server that finished starting. */
    void comeUp() {
        status.set(200);
    }

    void answer(int code) {
        status.set(code);
    }

    int requests() {
        return requests.get();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
