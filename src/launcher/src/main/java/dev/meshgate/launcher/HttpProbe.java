package dev.meshgate.launcher;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One-shot HTTP GETs for readiness and status checks; a failure is an answer, never an exception. */
public final class HttpProbe {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** What a GET got back: a status and body, or {@code status == -1} and what went wrong. */
    public record Answer(int status, String body, String problem) {
        public boolean ok() {
            return status == 200;
        }

        /** A short description for messages: "200", "503: {...}", "connection refused". */
        public String describe() {
            if (status < 0) {
                return problem;
            }
            String components = unhealthyComponents(body);
            if (components != null) {
                return "answered " + status + ", components not UP: " + components;
            }
            String excerpt = body == null ? "" : body.strip();
            if (excerpt.length() > 200) {
                excerpt = excerpt.substring(0, 200) + "...";
            }
            return excerpt.isEmpty() || status == 200 ? "answered " + status : "answered " + status + ": " + excerpt;
        }
    }

    /**
     * For a Spring Boot actuator health answer: the components that are not UP, with their details
     * (what makes the whole DOWN); null when the body is not such an answer.
     */
    static String unhealthyComponents(String body) {
        if (body == null || !body.startsWith("{")) {
            return null;
        }
        Object parsed;
        try {
            parsed = MiniJson.parse(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!(parsed instanceof Map<?, ?> health) || !(health.get("components") instanceof Map<?, ?> components)) {
            return null;
        }
        List<String> unhealthy = new ArrayList<>();
        components.forEach((name, component) -> {
            if (component instanceof Map<?, ?> fields && !"UP".equals(fields.get("status"))) {
                String details = fields.get("details") == null ? "" : " " + fields.get("details");
                if (details.length() > 300) {
                    details = details.substring(0, 300) + "...";
                }
                unhealthy.add(name + " " + fields.get("status") + details);
            }
        });
        return unhealthy.isEmpty() ? null : String.join("; ", unhealthy);
    }

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    public Answer get(URI uri) {
        return get(uri, "*/*");
    }

    public Answer get(URI uri, String accept) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", accept).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), null);
        } catch (ConnectException e) {
            return new Answer(-1, null, "connection refused");
        } catch (HttpTimeoutException e) {
            return new Answer(-1, null, "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return new Answer(-1, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, "interrupted");
        }
    }
}
