package dev.meshgate.node.discovery;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A registry that answers the Eureka REST API the way the real server does (204 on register, 404 for
 * an unknown instance or app, JSON with arrays, a delta of the recently changed instances with their
 * {@code actionType}, {@code apps__hashcode} on full and delta answers), records every request, and
 * can be told to fail, to hold its answers, or to spoil its deltas.
 */
final class FakeEurekaServer implements AutoCloseable {

    record Recorded(HttpMethod method, String path, String body, String contentType, String accept) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DisposableServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    /** APP -> instanceId -> the instance as registered */
    private final Map<String, Map<String, JsonNode>> apps = new ConcurrentHashMap<>();
    /** APP -> instanceId -> the instance as last changed, with its actionType: the delta window */
    private final Map<String, Map<String, JsonNode>> recentlyChanged = new ConcurrentHashMap<>();
    private volatile HttpResponseStatus failWith;
    private volatile HttpResponseStatus failDeltasWith;
    private volatile String deltaHashOverride;
    private volatile String deltaBodyOverride;
    private volatile Sinks.Empty<Void> gate;

    FakeEurekaServer() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> answer(request, response, body)))
                .bindNow();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/eureka";
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    List<Recorded> requests(HttpMethod method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    /** Every request from now on is answered with this status (null: answer normally again). */
    void failWith(HttpResponseStatus status) {
        this.failWith = status;
    }

    /** Holds every answer until {@link #release()}. */
    void hold() {
        gate = Sinks.empty();
    }

    void release() {
        Sinks.Empty<Void> held = gate;
        gate = null;
        if (held != null) {
            held.tryEmitEmpty();
        }
    }

    /** Every delta request from now on is answered with this status (null: answer normally again). */
    void failDeltasWith(HttpResponseStatus status) {
        this.failDeltasWith = status;
    }

    /** Deltas from now on carry this {@code apps__hashcode} instead of the true one (null: the true one). */
    void answerDeltasWithHash(String reconcileHash) {
        this.deltaHashOverride = reconcileHash;
    }

    /** Deltas from now on are answered with this body instead of JSON built from the window (null: the real one). */
    void answerDeltasWithBody(String body) {
        this.deltaBodyOverride = body;
    }

    /** As if the server's delta retention window passed: the changes so far leave the delta. */
    void expireDeltas() {
        recentlyChanged.clear();
    }

    /** As if the registry restarted or the lease expired. */
    void forget(String app, String instanceId) {
        Map<String, JsonNode> instances = apps.get(app);
        JsonNode removed = instances == null ? null : instances.remove(instanceId);
        if (removed != null) {
            changed(app, removed, "DELETED");
        }
    }

    /** Registers an instance directly, as another node would have. */
    void add(String app, String instanceId, String host, int port, String status, Map<String, String> metadata) {
        ObjectNode instance = JSON.createObjectNode();
        instance.put("instanceId", instanceId);
        instance.put("app", app);
        instance.put("hostName", host);
        instance.put("ipAddr", host);
        instance.put("status", status);
        ObjectNode portNode = instance.putObject("port");
        portNode.put("$", port);
        portNode.put("@enabled", "true");
        ObjectNode metadataNode = instance.putObject("metadata");
        metadata.forEach(metadataNode::put);
        JsonNode previous = apps.computeIfAbsent(app, name -> new ConcurrentHashMap<>()).put(instanceId, instance);
        changed(app, instance, previous == null ? "ADDED" : "MODIFIED");
    }

    void remove(String app, String instanceId) {
        forget(app, instanceId);
    }

    JsonNode registered(String app, String instanceId) {
        Map<String, JsonNode> instances = apps.get(app);
        return instances == null ? null : instances.get(instanceId);
    }

    /**
     * Eureka's reconcile hash, written out independently of the code under test: every instance
     * counted by status, {@code STATUS_count_} in status order.
     */
    String reconcileHash() {
        Map<String, Integer> countsByStatus = new TreeMap<>();
        apps.values().forEach(instances -> instances.values().forEach(instance ->
                countsByStatus.merge(instance.path("status").asString(), 1, Integer::sum)));
        StringBuilder hash = new StringBuilder();
        countsByStatus.forEach((status, count) -> hash.append(status).append('_').append(count).append('_'));
        return hash.toString();
    }

    /** The delta lists an instance as it is now, with what last happened to it, as the real server does. */
    private void changed(String app, JsonNode instance, String actionType) {
        ObjectNode listed = (ObjectNode) instance.deepCopy();
        listed.put("actionType", actionType);
        recentlyChanged.computeIfAbsent(app, name -> new ConcurrentHashMap<>()).put(listed.path("instanceId").asString(), listed);
    }

    @Override
    public void close() {
        release();
        server.disposeNow();
    }

    private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, String body) {
        requests.add(new Recorded(request.method(), request.uri(), body,
                request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE),
                request.requestHeaders().get(HttpHeaderNames.ACCEPT)));
        Sinks.Empty<Void> held = gate;
        if (held == null) {
            return route(request, response, body);
        }
        // A held answer is released from the test's thread, possibly after the caller gave up and closed
        // the connection. Answer on the connection's own event loop, and only while it is open: an answer
        // encoded for a connection that is already gone would never be released.
        AtomicReference<Channel> channel = new AtomicReference<>();
        response.withConnection(connection -> channel.set(connection.channel()));
        return held.asMono()
                .publishOn(Schedulers.fromExecutor(channel.get().eventLoop()))
                .then(Mono.defer(() -> channel.get().isActive() ? route(request, response, body) : Mono.empty()));
    }

    private Mono<Void> route(HttpServerRequest request, HttpServerResponse response, String body) {
        HttpResponseStatus failure = failWith;
        if (failure != null) {
            return response.status(failure).send();
        }
        String[] path = request.uri().replaceFirst("^/eureka/apps/?", "").split("/");
        String app = path.length > 0 && !path[0].isEmpty() ? path[0] : null;
        String instanceId = path.length > 1 ? java.net.URLDecoder.decode(path[1], StandardCharsets.UTF_8) : null;
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.GET) && "delta".equals(app) && instanceId == null) {
            return delta(response);
        }
        if (method.equals(HttpMethod.POST) && app != null && instanceId == null) {
            JsonNode instance = JSON.readTree(body).path("instance");
            apps.computeIfAbsent(app, name -> new ConcurrentHashMap<>()).put(instance.path("instanceId").asString(), instance);
            // the real server lists every registration as ADDED, a re-registration too
            changed(app, instance, "ADDED");
            return response.status(HttpResponseStatus.NO_CONTENT).send();
        }
        if (path.length > 2 && path[2].startsWith("status") && instanceId != null) {
            // the status override: PUT sets it, DELETE removes it and sets the value given
            JsonNode known = registered(app, instanceId);
            if (known == null) {
                return response.status(HttpResponseStatus.NOT_FOUND).send();
            }
            List<String> value = new QueryStringDecoder(request.uri()).parameters().getOrDefault("value", List.of("UP"));
            ((ObjectNode) known).put("status", value.get(0));
            changed(app, known, "MODIFIED");
            return response.status(HttpResponseStatus.OK).send();
        }
        if (method.equals(HttpMethod.PUT) && instanceId != null) {
            return response.status(registered(app, instanceId) != null ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND).send();
        }
        if (method.equals(HttpMethod.DELETE) && instanceId != null) {
            boolean known = registered(app, instanceId) != null;
            forget(app, instanceId);
            return response.status(known ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND).send();
        }
        if (method.equals(HttpMethod.GET) && app == null) {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode applications = root.putObject("applications");
            applications.put("versions__delta", "1");
            applications.put("apps__hashcode", reconcileHash());
            ArrayNode list = applications.putArray("application");
            apps.forEach((name, instances) -> {
                if (!instances.isEmpty()) {
                    list.add(application(name, instances));
                }
            });
            return json(response, root);
        }
        if (method.equals(HttpMethod.GET) && instanceId == null) {
            Map<String, JsonNode> instances = apps.get(app);
            if (instances == null || instances.isEmpty()) {
                return response.status(HttpResponseStatus.NOT_FOUND).send();
            }
            ObjectNode root = JSON.createObjectNode();
            root.set("application", application(app, instances));
            return json(response, root);
        }
        return response.status(HttpResponseStatus.BAD_REQUEST).send();
    }

    private Mono<Void> delta(HttpServerResponse response) {
        HttpResponseStatus failure = failDeltasWith;
        if (failure != null) {
            return response.status(failure).send();
        }
        String spoiled = deltaBodyOverride;
        if (spoiled != null) {
            return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json").sendString(Mono.just(spoiled)).then();
        }
        ObjectNode root = JSON.createObjectNode();
        ObjectNode applications = root.putObject("applications");
        applications.put("versions__delta", "2");
        String hashOverride = deltaHashOverride;
        applications.put("apps__hashcode", hashOverride != null ? hashOverride : reconcileHash());
        ArrayNode list = applications.putArray("application");
        recentlyChanged.forEach((name, instances) -> list.add(application(name, instances)));
        return json(response, root);
    }

    private static ObjectNode application(String name, Map<String, JsonNode> instances) {
        ObjectNode application = JSON.createObjectNode();
        application.put("name", name);
        ArrayNode array = application.putArray("instance");
        instances.values().forEach(array::add);
        return application;
    }

    private static Mono<Void> json(HttpServerResponse response, JsonNode body) {
        return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just(JSON.writeValueAsString(body)))
                .then();
    }
}
