package dev.meshgate.controlplane;

import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * Asks the config server for this application's environment ({@code GET /<name>/default}), as the
 * config client will on reload. Over {@link HttpURLConnection}, the client the config client itself
 * uses: it is loaded anyway, whereas the JDK's {@code java.net.http} client brought some 600 classes
 * (its own stack and TLS, initialised eagerly even for plain HTTP) and a selector thread into every
 * process for this one request every few seconds. Not Reactor Netty's client either: the registry
 * runs on servlets, and a second HTTP client library on its classpath would change which one Spring's
 * own clients pick. The request blocks its caller, so subscribe on a scheduler that allows it
 * ({@link ConfigServerWatch} does).
 */
public final class HttpConfigServerProbe implements ConfigServerProbe {

    private final URI environment;
    private final int timeoutMillis;

    public HttpConfigServerProbe(URI environment, Duration timeout) {
        this.environment = environment;
        this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
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
        return Mono.fromCallable(this::get)
                .onErrorMap(failure -> new IllegalStateException("GET " + environment + " failed: " + describe(failure), failure))
                .flatMap(status -> status == 200
                        ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("GET " + environment + " answered " + status)));
    }

    private int get() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) environment.toURL().openConnection();
        connection.setConnectTimeout(timeoutMillis);
        connection.setReadTimeout(timeoutMillis);
        connection.setUseCaches(false);
        try {
            int status = connection.getResponseCode();
            // Read to the end, so the connection can go back to the keep-alive cache.
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (body != null) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
            }
            return status;
        } catch (IOException failure) {
            connection.disconnect();
            throw failure;
        }
    }

    /** Connection errors often carry no message: name the exception then. */
    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
