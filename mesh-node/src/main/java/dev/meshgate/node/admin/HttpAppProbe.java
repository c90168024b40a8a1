package dev.meshgate.node.admin;

import dev.meshgate.node.MeshNodeProperties;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The app's probe over HTTP: a GET on a new connection each time (a pooled one could hide an app
 * that no longer accepts), judged by {@link MeshNodeProperties.AppHealth#healthy(int)}.
 */
public final class HttpAppProbe implements AppHealthWatch.Probe {

    private final HttpClient http;
    private final String url;
    private final MeshNodeProperties.AppHealth settings;

    public HttpAppProbe(MeshNodeProperties.App app) {
        this.settings = app.health();
        this.url = url(app);
        int timeoutMillis = (int) Math.max(1, settings.timeout().toMillis());
        this.http = HttpClient.create(ConnectionProvider.newConnection())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .responseTimeout(settings.timeout())
                .headers(headers -> headers.set("User-Agent", "meshgate-node-app-probe"));
    }

    /** What is probed: {@code http://127.0.0.1:8080/}. */
    public static String url(MeshNodeProperties.App app) {
        String host = app.host().indexOf(':') >= 0 && !app.host().startsWith("[") ? "[" + app.host() + "]" : app.host();
        String path = app.health().path().isEmpty() ? "/" : app.health().path();
        return "http://" + host + ":" + app.port() + path;
    }

    @Override
    public Mono<Void> probe() {
        return http.get().uri(url)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .flatMap(status -> settings.healthy(status) ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("GET " + url + " answered " + status)))
                .onErrorMap(failure -> !(failure instanceof IllegalStateException),
                        failure -> new IllegalStateException("GET " + url + " failed: " + failure.getMessage(), failure));
    }
}
