package dev.meshgate.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The tests' HTTP client: plain JDK client for well-formed requests, a raw socket for malformed ones. */
final class Http {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {
    }

    static HttpClient client() {
        return CLIENT;
    }

    /** GET with header name/value pairs; {@code Host} is allowed (the failsafe configuration permits it). */
    static HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    /** The elements of an array, or the node itself when Eureka wrote a single element without the array. */
    static List<JsonNode> elements(JsonNode node) {
        List<JsonNode> elements = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return elements;
        }
        if (node.isArray()) {
            node.forEach(elements::add);
        } else {
            elements.add(node);
        }
        return elements;
    }

    /** Writes raw bytes to a loopback port and returns everything the server answers until it closes. */
    static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            StringBuilder answer = new StringBuilder();
            char[] buffer = new char[4096];
            int read;
            try {
                while ((read = in.read(buffer)) >= 0) {
                    answer.append(buffer, 0, read);
                }
            } catch (java.net.SocketException e) {
                // a server that rejects a request may reset the connection once its answer is sent
                if (answer.length() == 0) {
                    throw e;
                }
            }
            return answer.toString();
        }
    }
}
