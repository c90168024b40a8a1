package dev.meshgate.node.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.x over a plain socket, byte by byte under the test's control: malformed input, HTTP/1.0,
 * pipelining, reading a chunked body one chunk at a time. Reads give up after 20 s so a broken
 * proxy fails the test instead of hanging it.
 */
public final class RawHttpClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawHttpClient connect(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(20_000);
            return new RawHttpClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawHttpClient send(String raw) {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttpClient send(byte[] raw) {
        try {
            out.write(raw);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one whole response; {@code head} says it answers a HEAD request (no body). */
    public Response read(boolean head) {
        Response response = readHead();
        if (head || response.status() == 204 || response.status() == 304 || response.status() < 200) {
            return response;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (response.chunked()) {
            byte[] chunk;
            while ((chunk = readChunk()) != null) {
                body.writeBytes(chunk);
            }
        } else if (response.header("content-length") != null) {
            body.writeBytes(readExactly(Integer.parseInt(response.header("content-length"))));
        } else {
            body.writeBytes(readToEnd());
        }
        return response.withBody(body.toByteArray());
    }

    public Response read() {
        return read(false);
    }

    public Response readHead() {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new AssertionError("connection closed before a response arrived");
        }
        String[] parts = statusLine.split(" ", 3);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return new Response(parts[0], Integer.parseInt(parts[1]), headers, new byte[0]);
    }

    /** The next chunk of a chunked body, or null after the last one (trailers skipped). */
    public byte[] readChunk() {
        String sizeLine = readLine();
        if (sizeLine == null) {
            throw new AssertionError("connection closed inside a chunked body");
        }
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
        if (size == 0) {
            String trailer;
            while ((trailer = readLine()) != null && !trailer.isEmpty()) {
                // trailers are not inspected
            }
            return null;
        }
        byte[] chunk = readExactly(size);
        readLine();
        return chunk;
    }

    /** True when the peer has closed the connection (end of stream), false if it is still open with data. */
    public boolean closedByPeer() {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    public byte[] readToEnd() {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readExactly(int length) {
        try {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw new AssertionError("connection closed after " + bytes.length + " of " + length + " body bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLine() {
        try {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int length = line.length();
                    if (length > 0 && line.charAt(length - 1) == '\r') {
                        line.setLength(length - 1);
                    }
                    return line.toString();
                }
                line.append((char) c);
            }
            return line.length() == 0 ? null : line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }

    public record Response(String version, int status, Map<String, List<String>> headers, byte[] body) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }

        public boolean chunked() {
            String te = header("transfer-encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Response withBody(byte[] newBody) {
            return new Response(version, status, headers, newBody);
        }
    }
}
