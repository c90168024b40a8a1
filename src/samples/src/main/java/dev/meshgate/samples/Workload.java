package dev.meshgate.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.math.BigDecimal;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One sample workload: an HTTP server answering as the planner agent, a tool (search, calc or a
 * generic one), plus the test endpoints every workload has. Latency and failures are injected on
 * every endpoint except {@code /health} and {@code /release}, which must keep answering so the
 * launcher and tests can drive the workload.
 */
final class Workload {

    static final String TRACEPARENT = "traceparent";
    static final String INSTANCE_HEADER = "x-instance";
    static final String VERSION_HEADER = "x-version";
    private static final long MAX_FIXED_BODY = 16L * 1024 * 1024;
    private static final int MAX_CACHED_BODIES = 32;
    private static final int MAX_CHUNKS = 10_000;
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

    private final WorkloadSpec spec;
    private final Holds holds = new Holds();
    private final Map<Integer, byte[]> fixedBodies = new ConcurrentHashMap<>();
    private final HttpClient sidecar;

    Workload(WorkloadSpec spec) {
        this.spec = spec;
        this.sidecar = spec.kind() == WorkloadSpec.Kind.PLANNER
                ? HttpClient.create()
                        .remoteAddress(() -> InetSocketAddress.createUnresolved(spec.outbound().getHost(), spec.outboundPort()))
                        .responseTimeout(TOOL_TIMEOUT)
                : null;
    }

    WorkloadSpec spec() {
        return spec;
    }

    /** Binds the listener; a port already taken is reported in one line naming the instance. */
    DisposableServer start() {
        try {
            return HttpServer.create()
                    .host(spec.host())
                    .port(spec.port())
                    .handle(this::handle)
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            throw new WorkloadStartException(spec.instance() + " cannot listen on " + spec.host() + ":" + spec.port()
                    + ": " + bindProblem(e), e);
        }
    }

    private static String bindProblem(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (cause instanceof BindException || message.contains("address already in use")) {
                return message.contains("already in use") || message.contains("failed to bind")
                        ? "address already in use" : message;
            }
        }
        return String.valueOf(error.getMessage());
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        response.header(INSTANCE_HEADER, spec.instance()).header(VERSION_HEADER, spec.version());
        if (path.equals("/health")) {
            return json(response, HttpResponseStatus.OK, "{\"status\":\"UP\",\"instance\":" + Json.string(spec.instance())
                    + ",\"version\":" + Json.string(spec.version()) + "}");
        }
        if (path.equals("/release")) {
            return release(response, query);
        }
        Mono<Void> work = Mono.defer(() -> {
            if (spec.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < spec.failureRate()) {
                return json(response, HttpResponseStatus.INTERNAL_SERVER_ERROR, "{\"error\":\"injected failure\",\"instance\":"
                        + Json.string(spec.instance()) + ",\"version\":" + Json.string(spec.version()) + "}");
            }
            return route(request, response, query, path);
        });
        return spec.latencyMs() > 0 ? Mono.delay(Duration.ofMillis(spec.latencyMs())).then(work) : work;
    }

    private Mono<Void> route(HttpServerRequest request, HttpServerResponse response, QueryStringDecoder query, String path) {
        boolean get = request.method().equals(HttpMethod.GET);
        switch (path) {
            case "/echo":
                return echo(request, response, query);
            case "/upload":
                return request.method().equals(HttpMethod.POST) ? upload(request, response)
                        : notAllowed(response, "POST");
            case "/download":
                return get ? download(response, query) : notAllowed(response, "GET");
            case "/stream":
                return get ? stream(response, query) : notAllowed(response, "GET");
            case "/bytes":
                return get ? fixedBytes(response, query) : notAllowed(response, "GET");
            default:
                break;
        }
        WorkloadSpec.Kind kind = spec.kind();
        if (kind == WorkloadSpec.Kind.PLANNER && path.equals("/plan")) {
            return get ? plan(request, response, query) : notAllowed(response, "GET");
        }
        if (kind == WorkloadSpec.Kind.SEARCH && path.equals("/search")) {
            return get ? search(request, response, query) : notAllowed(response, "GET");
        }
        if (kind == WorkloadSpec.Kind.CALC && path.equals("/calc")) {
            return get ? calc(request, response, query) : notAllowed(response, "GET");
        }
        if (kind == WorkloadSpec.Kind.GENERIC_TOOL && path.equals("/" + spec.name())) {
            return get ? genericTool(request, response, query) : notAllowed(response, "GET");
        }
        return json(response, HttpResponseStatus.NOT_FOUND, "{\"error\":\"no such endpoint\",\"path\":" + Json.string(path)
                + ",\"instance\":" + Json.string(spec.instance()) + "}");
    }

    // ---- tools ----

    private Mono<Void> search(HttpServerRequest request, HttpServerResponse response, QueryStringDecoder query) {
        String q = param(query, "q");
        if (q == null) {
            return toolError(request, response, HttpResponseStatus.BAD_REQUEST, "query parameter q is required");
        }
        return toolResult(request, response, SearchIndex.toJson(q, SearchIndex.search(q)));
    }

    private Mono<Void> calc(HttpServerRequest request, HttpServerResponse response, QueryStringDecoder query) {
        String expr = param(query, "expr");
        if (expr == null) {
            return toolError(request, response, HttpResponseStatus.BAD_REQUEST, "query parameter expr is required");
        }
        BigDecimal value;
        try {
            value = Calculator.evaluate(expr);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return toolError(request, response, HttpResponseStatus.BAD_REQUEST, "cannot evaluate '" + expr + "': " + e.getMessage());
        }
        return toolResult(request, response, "{\"expression\":" + Json.string(expr) + ",\"value\":" + Calculator.format(value) + "}");
    }

    private Mono<Void> genericTool(HttpServerRequest request, HttpServerResponse response, QueryStringDecoder query) {
        Map<String, String> params = new LinkedHashMap<>();
        query.parameters().forEach((key, values) -> params.put(key, String.join(",", values)));
        return toolResult(request, response, "{\"params\":" + Json.object(params) + "}");
    }

    private Mono<Void> toolResult(HttpServerRequest request, HttpServerResponse response, String resultJson) {
        return json(response, HttpResponseStatus.OK, identity(request) + ",\"result\":" + resultJson + "}");
    }

    private Mono<Void> toolError(HttpServerRequest request, HttpServerResponse response, HttpResponseStatus status, String error) {
        return json(response, status, identity(request) + ",\"error\":" + Json.string(error) + "}");
    }

    /** The opening fields of every tool answer, without the closing brace. */
    private String identity(HttpServerRequest request) {
        return "{\"service\":" + Json.string(spec.name())
                + ",\"instance\":" + Json.string(spec.instance())
                + ",\"version\":" + Json.string(spec.version())
                + ",\"traceparent\":" + Json.string(request.requestHeaders().get(TRACEPARENT));
    }

    // ---- planner ----

    private record ToolReply(String tool, int status, String body, String problem) {
        boolean ok() {
            return status == 200 && body != null;
        }
    }

    private Mono<Void> plan(HttpServerRequest request, HttpServerResponse response, QueryStringDecoder query) {
        String task = param(query, "task");
        if (task == null) {
            return json(response, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"query parameter task is required\",\"instance\":"
                    + Json.string(spec.instance()) + "}");
        }
        String traceparent = request.requestHeaders().get(TRACEPARENT);
        // both calls are in flight at once: zip subscribes to each before either answers
        return Mono.zip(
                        callTool("search", "/search?q=" + encode(task), traceparent),
                        callTool("calc", "/calc?expr=" + encode(effortExpression(task)), traceparent))
                .flatMap(replies -> {
                    ToolReply search = replies.getT1();
                    ToolReply calc = replies.getT2();
                    if (!search.ok() || !calc.ok()) {
                        return json(response, HttpResponseStatus.BAD_GATEWAY, toolFailure(task, search, calc));
                    }
                    String body = "{\"task\":" + Json.string(task)
                            + ",\"planner\":{\"instance\":" + Json.string(spec.instance())
                            + ",\"version\":" + Json.string(spec.version())
                            + ",\"traceparent\":" + Json.string(traceparent) + "}"
                            + ",\"search\":" + search.body()
                            + ",\"calc\":" + calc.body() + "}";
                    return json(response, HttpResponseStatus.OK, body);
                });
    }

    /** The planner's effort estimate for a task: fifteen minutes per word, worked out by the calc tool. */
    static String effortExpression(String task) {
        int words = task.isBlank() ? 0 : task.trim().split("\\s+").length;
        return words + "*15";
    }

    /** Calls a tool through the sidecar's outbound listener, naming the service in the Host header. */
    private Mono<ToolReply> callTool(String tool, String pathAndQuery, String traceparent) {
        return sidecar
                .headers(headers -> {
                    headers.set(HttpHeaderNames.HOST, tool);
                    if (traceparent != null) {
                        headers.set(TRACEPARENT, traceparent);
                    }
                })
                .get()
                .uri(pathAndQuery)
                .responseSingle((reply, body) -> body.asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .map(text -> new ToolReply(tool, reply.status().code(), text, null)))
                .onErrorResume(error -> Mono.just(new ToolReply(tool, 0, null,
                        error.getClass().getSimpleName() + ": " + error.getMessage())));
    }

    private String toolFailure(String task, ToolReply... replies) {
        List<String> failed = new ArrayList<>();
        String first = null;
        for (ToolReply reply : replies) {
            if (reply.ok()) {
                continue;
            }
            if (first == null) {
                first = reply.tool();
            }
            failed.add("{\"tool\":" + Json.string(reply.tool())
                    + ",\"status\":" + (reply.status() == 0 ? "null" : String.valueOf(reply.status()))
                    + ",\"detail\":" + Json.string(reply.problem() != null ? reply.problem() : reply.body()) + "}");
        }
        return "{\"error\":" + Json.string("tool " + first + " failed")
                + ",\"task\":" + Json.string(task)
                + ",\"instance\":" + Json.string(spec.instance())
                + ",\"failed\":[" + String.join(",", failed) + "]}";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ---- test endpoints ----

    private Mono<Void> echo(HttpServerRequest request, HttpServerResponse response, QueryStringDecoder query) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.requestHeaders().forEach(header -> headers.merge(header.getKey().toLowerCase(Locale.ROOT),
                header.getValue(), (first, second) -> first + ", " + second));
        // the body is drained so keep-alive connections stay usable after a request with a body
        return request.receive().then(Mono.defer(() -> json(response, HttpResponseStatus.OK,
                "{\"method\":" + Json.string(request.method().name())
                        + ",\"uri\":" + Json.string(request.uri())
                        + ",\"path\":" + Json.string(query.path())
                        + ",\"instance\":" + Json.string(spec.instance())
                        + ",\"version\":" + Json.string(spec.version())
                        + ",\"headers\":" + Json.object(headers) + "}")));
    }

    private Mono<Void> upload(HttpServerRequest request, HttpServerResponse response) {
        MessageDigest digest = sha256();
        long[] received = {0};
        // each buffer is hashed and counted as it arrives, then released by Reactor Netty: nothing is kept
        return request.receive()
                .doOnNext(buffer -> {
                    received[0] += buffer.readableBytes();
                    update(digest, buffer);
                })
                .then(Mono.defer(() -> json(response, HttpResponseStatus.OK, "{\"bytes\":" + received[0]
                        + ",\"sha256\":\"" + HexFormat.of().formatHex(digest.digest()) + "\""
                        + ",\"instance\":" + Json.string(spec.instance()) + "}")));
    }

    private static void update(MessageDigest digest, ByteBuf buffer) {
        if (buffer.hasArray()) {
            digest.update(buffer.array(), buffer.arrayOffset() + buffer.readerIndex(), buffer.readableBytes());
            return;
        }
        for (ByteBuffer part : buffer.nioBuffers()) {
            digest.update(part);
        }
    }

    private Mono<Void> download(HttpServerResponse response, QueryStringDecoder query) {
        Long length = longParam(query, "bytes");
        if (length == null || length < 0) {
            return badParam(response, "bytes must be a whole number, 0 or more");
        }
        return response.header(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(length))
                .send(BytePattern.stream(length))
                .then();
    }

    private Mono<Void> stream(HttpServerResponse response, QueryStringDecoder query) {
        Long chunks = longParam(query, "chunks");
        if (chunks == null || chunks < 1 || chunks > MAX_CHUNKS) {
            return badParam(response, "chunks must be a whole number between 1 and " + MAX_CHUNKS);
        }
        int total = chunks.intValue();
        String hold = param(query, "hold");
        Flux<ByteBuf> body;
        if (hold == null) {
            body = Flux.range(1, total).map(index -> chunk(index, total));
        } else {
            Mono<Void> released = holds.awaitRelease(hold);
            if (released == null) {
                return json(response, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"error\":\"too many open holds\"}");
            }
            body = Flux.concat(
                            Mono.fromSupplier(() -> chunk(1, total)),
                            released.thenMany(Flux.range(2, total - 1).map(index -> chunk(index, total))))
                    .doFinally(signal -> holds.forget(hold));
        }
        return response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8").send(body).then();
    }

    private static ByteBuf chunk(int index, int total) {
        return Unpooled.wrappedBuffer(("chunk " + index + " of " + total + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private Mono<Void> release(HttpServerResponse response, QueryStringDecoder query) {
        String hold = param(query, "hold");
        if (hold == null) {
            return badParam(response, "hold is required");
        }
        boolean waiting = holds.isWaiting(hold);
        if (!holds.release(hold)) {
            return json(response, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"error\":\"too many open holds\"}");
        }
        return json(response, HttpResponseStatus.OK, "{\"released\":" + Json.string(hold) + ",\"waiting\":" + waiting + "}");
    }

    private Mono<Void> fixedBytes(HttpServerResponse response, QueryStringDecoder query) {
        Long size = longParam(query, "size");
        if (size == null || size < 0 || size > MAX_FIXED_BODY) {
            return badParam(response, "size must be a whole number between 0 and " + MAX_FIXED_BODY);
        }
        int length = size.intValue();
        byte[] body = fixedBodies.get(length);
        if (body == null) {
            body = BytePattern.array(length);
            if (fixedBodies.size() < MAX_CACHED_BODIES) {
                fixedBodies.putIfAbsent(length, body);
            }
        }
        return response.header(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(length))
                .send(Mono.just(Unpooled.wrappedBuffer(body)))
                .then();
    }

    // ---- helpers ----

    private Mono<Void> notAllowed(HttpServerResponse response, String allowed) {
        response.header(HttpHeaderNames.ALLOW, allowed);
        return json(response, HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"method not allowed, use " + allowed
                + "\",\"instance\":" + Json.string(spec.instance()) + "}");
    }

    private Mono<Void> badParam(HttpServerResponse response, String problem) {
        return json(response, HttpResponseStatus.BAD_REQUEST, "{\"error\":" + Json.string(problem)
                + ",\"instance\":" + Json.string(spec.instance()) + "}");
    }

    private static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(bytes.length))
                .sendByteArray(Mono.just(bytes))
                .then();
    }

    private static String param(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Long longParam(QueryStringDecoder query, String name) {
        String value = param(query, name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
