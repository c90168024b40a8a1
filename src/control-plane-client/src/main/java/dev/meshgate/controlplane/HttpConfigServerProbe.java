package dev.meshgate.controlplane;

import reactor.core.publisher.Mono;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * Asks the config server for this application's environment ({@code GET /<name>/default}), as the
 * config client will on reload. The JDK's client, because the registry runs on servlets and a second
 * HTTP client library on its classpath would change which one Spring's own clients pick.
 */
public final class HttpConfigServerProbe implements ConfigServerProbe {

    private final URI environment;
    private final Duration timeout;
    private final HttpClient client;

    public HttpConfigServerProbe(URI environment, Duration timeout) {
        this.environment = environment;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /** The probe of {@code <configServerUrl>/<configName>/default}; configName may list several names. */
    public static HttpConfigServerProbe forApplication(String configServerUrl, String configName, Duration timeout) {
        return new HttpConfigServerProbe(URI.create(configServerUrl + "/" + configName + "/default"), timeout);
    }

    public URI environment() {
        return environment;
    }

    @Override
    public Mono<Void> probe() {
        HttpRequest request = HttpRequest.newBuilder(environment).timeout(timeout).GET().build();
        return Mono.fromFuture(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .onErrorMap(failure -> new IllegalStateException("GET " + environment + " failed: " + describe(failure), failure))
                .flatMap(response -> response.statusCode() == 200
                        ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("GET " + environment + " answered " + response.statusCode())));
    }

    /** The JDK's connection errors often carry no message: name the exception then. */
    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
