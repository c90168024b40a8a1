package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The Eureka REST API over Reactor Netty's client, on its own small connection pool so the registry
 * traffic never competes with the data plane. Every request is bounded by the request timeout.
 */
public final class EurekaRestClient implements RegistryApi, AutoCloseable {

    private static final byte[] NO_BODY = new byte[0];
    // Idle connections are closed before a typical server keep-alive (60s) would close them under us.
    private static final Duration MAX_IDLE = Duration.ofSeconds(20);

    private final String baseUrl;
    private final ConnectionProvider connections;
    private final HttpClient http;
    private final HttpClient jsonSender;

    /** @param baseUrl the registry's Eureka root, e.g. {@code http://127.0.0.1:8761/eureka} */
    public EurekaRestClient(String baseUrl, Duration requestTimeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.connections = ConnectionProvider.builder("mesh-registry")
                .maxConnections(4)
                .pendingAcquireMaxCount(64)
                .pendingAcquireTimeout(requestTimeout)
                .maxIdleTime(MAX_IDLE)
                .build();
        this.http = HttpClient.create(connections)
                .baseUrl(this.baseUrl)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, requestTimeout.toMillis()))
                .responseTimeout(requestTimeout)
                .headers(headers -> headers.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON));
        this.jsonSender = http.headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON));
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public Mono<Void> register(InstanceRegistration registration) {
        byte[] body = EurekaJson.instanceInfo(registration);
        String path = "/apps/" + registration.appName();
        return jsonSender.post()
                .uri(path)
                .send((request, outbound) -> outbound.sendByteArray(Mono.just(body)))
                .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(NO_BODY)
                        .map(bytes -> expect(HttpMethod.POST, path, response.status(), bytes)))
                .onErrorMap(unreachable(HttpMethod.POST, path))
                .then();
    }

    @Override
    public Mono<Boolean> renew(InstanceRegistration registration) {
        String path = instancePath(registration);
        return exchange(HttpMethod.PUT, path)
                .map(answer -> {
                    if (answer.status().equals(HttpResponseStatus.NOT_FOUND)) {
                        return false;
                    }
                    expect(HttpMethod.PUT, path, answer.status(), answer.body());
                    return true;
                });
    }

    @Override
    public Mono<Void> setInService(InstanceRegistration registration, boolean inService) {
        // Eureka's status override: PUT sets it, DELETE removes it and sets the status given
        String path = instancePath(registration) + (inService ? "/status?value=UP" : "/status?value=OUT_OF_SERVICE");
        HttpMethod method = inService ? HttpMethod.DELETE : HttpMethod.PUT;
        return exchange(method, path)
                .doOnNext(answer -> expect(method, path, answer.status(), answer.body()))
                .then();
    }

    @Override
    public Mono<Void> deregister(InstanceRegistration registration) {
        String path = instancePath(registration);
        return exchange(HttpMethod.DELETE, path)
                .doOnNext(answer -> {
                    if (!answer.status().equals(HttpResponseStatus.NOT_FOUND)) {
                        expect(HttpMethod.DELETE, path, answer.status(), answer.body());
                    }
                })
                .then();
    }

    @Override
    public Mono<RegistryApplications> fetchAll() {
        return fetchApplications("/apps");
    }

    @Override
    public Mono<RegistryApplications> fetchDelta() {
        return fetchApplications("/apps/delta");
    }

    @Override
    public Mono<List<Endpoint>> fetchCluster(String service) {
        String path = "/apps/" + UriUtils.encodePathSegment(service.toUpperCase(Locale.ROOT), StandardCharsets.UTF_8);
        return exchange(HttpMethod.GET, path)
                .map(answer -> answer.status().equals(HttpResponseStatus.NOT_FOUND)
                        ? List.<Endpoint>of()
                        : EurekaJson.parseApplication(expect(HttpMethod.GET, path, answer.status(), answer.body())));
    }

    /** Closes the pool's connections; requests after this fail. */
    @Override
    public void close() {
        connections.dispose();
    }

    private Mono<RegistryApplications> fetchApplications(String path) {
        // Parsed from the received buffers, not from a heap copy: a large registry's answer is megabytes.
        return http.get()
                .uri(path)
                .responseSingle((response, content) -> {
                    if (response.status().codeClass() != HttpStatusClass.SUCCESS) {
                        return Mono.error(answered(HttpMethod.GET, path, response.status()));
                    }
                    return content.asInputStream()
                            .map(EurekaJson::parseApplications)
                            .switchIfEmpty(Mono.error(() -> new RegistryException("GET " + path + " answered with an empty body")));
                })
                .onErrorMap(unreachable(HttpMethod.GET, path));
    }

    private Mono<Answer> exchange(HttpMethod method, String path) {
        return http.request(method)
                .uri(path)
                .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(NO_BODY)
                        .map(bytes -> new Answer(response.status(), bytes)))
                .onErrorMap(unreachable(method, path));
    }

    private static String instancePath(InstanceRegistration registration) {
        return "/apps/" + registration.appName() + "/"
                + UriUtils.encodePathSegment(registration.instanceId(), StandardCharsets.UTF_8);
    }

    private static byte[] expect(HttpMethod method, String path, HttpResponseStatus status, byte[] body) {
        if (status.codeClass() != HttpStatusClass.SUCCESS) {
            throw answered(method, path, status);
        }
        return body;
    }

    private static RegistryException answered(HttpMethod method, String path, HttpResponseStatus status) {
        return new RegistryException(method + " " + path + " answered " + status.code() + " " + status.reasonPhrase());
    }

    private Function<Throwable, Throwable> unreachable(HttpMethod method, String path) {
        return error -> error instanceof RegistryException
                ? error
                : new RegistryUnreachableException(method + " " + baseUrl + path + " failed: " + describe(error), error);
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    private record Answer(HttpResponseStatus status, byte[] body) {
    }
}
