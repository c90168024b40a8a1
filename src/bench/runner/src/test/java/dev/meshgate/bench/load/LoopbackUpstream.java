package dev.meshgate.bench.load;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HTTP server on a free loopback port standing in for an upstream or a reference proxy: answers
 * 1 KiB with 200, or 503 without a body on {@code /fail}, and counts the requests by the Host header each
 * carried (the load generators name the contender there).
 */
public final class LoopbackUpstream implements AutoCloseable {

    private static final byte[] BODY = new byte[1024];

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, AtomicInteger> answeredByHost = new ConcurrentHashMap<>();

    private LoopbackUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            answeredByHost.computeIfAbsent(exchange.getRequestHeaders().getFirst("Host"), host -> new AtomicInteger())
                    .incrementAndGet();
            if (exchange.getRequestURI().getPath().equals("/fail")) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.start();
    }

    public static LoopbackUpstream start() throws IOException {
        return new LoopbackUpstream();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests that carried this Host header so far. */
    public int answered(String host) {
        AtomicInteger count = answeredByHost.get(host);
        return count == null ? 0 : count.get();
    }

    /** Requests so far, whatever their Host header. */
    public int answered() {
        return answeredByHost.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
