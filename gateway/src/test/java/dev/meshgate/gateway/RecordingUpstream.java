package dev.meshgate.gateway;

import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real Reactor Netty upstream on a loopback port 0 that records what the gateway sent it. */
final class RecordingUpstream implements AutoCloseable {

    /** One request as the upstream received it. */
    record Received(String uri, HttpHeaders headers) {

        List<String> all(String name) {
            return headers.getAll(name);
        }
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final DisposableServer server;

    RecordingUpstream(String name) {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> {
                    received.add(new Received(request.uri(), request.requestHeaders().copy()));
                    return response.header("content-type", "text/plain")
                            .sendString(Mono.just(name + " saw " + request.uri()));
                })
                .bindNow();
    }

    int port() {
        return server.port();
    }

    /** The next request the upstream received, waiting at most 5 s for it. */
    Received next() throws InterruptedException {
        Received next = received.poll(5, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the upstream received no request within 5 s");
        }
        return next;
    }

    void forget() {
        received.clear();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
