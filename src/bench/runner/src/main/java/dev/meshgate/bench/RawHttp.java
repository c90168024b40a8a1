package dev.meshgate.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A one-shot HTTP/1.1 GET over a plain socket, for readiness and path checks. Unlike
 * {@code java.net.http.HttpClient} it may set {@code Host}, which the mesh-node's outbound listener
 * routes by.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** The status and body length of one GET, or status -1 and what went wrong. */
    public record Answer(int status, int bodyLength, String problem) {
        public boolean ok() {
            return status == 200;
        }

        public String describe() {
            return status < 0 ? problem : "HTTP " + status + " with " + bodyLength + " body bytes";
        }
    }

    public static Answer get(int port, String host, String pathAndQuery, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            return new Answer(-1, 0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    static Answer parse(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || headerEnd < 0 || text.length() < 12) {
            return new Answer(-1, 0, "not an HTTP/1.x response (" + response.length + " bytes)");
        }
        int status = Integer.parseInt(text.substring(9, 12));
        return new Answer(status, response.length - headerEnd - 4, null);
    }
}
