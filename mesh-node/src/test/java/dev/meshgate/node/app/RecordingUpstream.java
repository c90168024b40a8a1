package dev.meshgate.node.app;

import io.netty.handler.codec.http.HttpHeaders;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * An upstream app on a free loopback port (Reactor Netty) that records the requests it receives and
 * counts the connections it accepts. By default it answers {@code <name> <method> <uri>}.
 */
public final class RecordingUpstream implements AutoCloseable {

    public record Recorded(String method, String uri, HttpHeaders headers) {
    }

    private final String name;
    private final DisposableServer server;
    private final AtomicInteger connections = new AtomicInteger();
    private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();

    private RecordingUpstream(String name, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        this.name = name;
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                // once per TCP connection (doOnConnection would count every keep-alive request)
                .doOnChannelInit((observer, channel, remoteAddress) -> connections.incrementAndGet())
                .handle((request, response) -> {
                    requests.add(new Recorded(request.method().name(), request.uri(), request.requestHeaders().copy()));
                    return handler.apply(request, response);
                })
                .bindNow(Duration.ofSeconds(10));
    }

    public static RecordingUpstream start(String name) {
        return new RecordingUpstream(name, (request, response) ->
                response.sendString(Mono.just(name + " " + request.method().name() + " " + request.uri())));
    }

    public static RecordingUpstream start(String name,
            BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        return new RecordingUpstream(name, handler);
    }

    public int port() {
        return server.port();
    }

    public int connections() {
        return connections.get();
    }

    public int requestCount() {
        return requests.size();
    }

    /** The next request received, waiting up to 10 s for it. */
    public Recorded nextRequest() {
        try {
            Recorded next = requests.poll(10, TimeUnit.SECONDS);
            if (next == null) {
                throw new AssertionError(name + " received no request");
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
