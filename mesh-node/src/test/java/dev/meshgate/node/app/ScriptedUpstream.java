package dev.meshgate.node.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that misbehaves on purpose: each accepted connection runs a script over the raw
 * socket (a thread per connection), so a test can reset, truncate or half-answer exactly when it
 * wants. Records every request head it reads.
 */
public final class ScriptedUpstream implements AutoCloseable {

    /** What to do on one connection; {@code connectionNumber} counts from 1. */
    @FunctionalInterface
    public interface Script {
        void run(Connection connection, int connectionNumber) throws IOException;
    }

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> requestHeads = new CopyOnWriteArrayList<>();

    private ScriptedUpstream(Script script) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    int number = accepted.incrementAndGet();
                    Thread worker = new Thread(() -> {
                        try (socket) {
                            script.run(new Connection(socket, requestHeads), number);
                        } catch (IOException ignored) {
                            // the proxy closed its side: nothing left to script
                        }
                    }, "scripted-upstream-" + number);
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "scripted-upstream-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static ScriptedUpstream start(Script script) {
        try {
            return new ScriptedUpstream(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connectionsAccepted() {
        return accepted.get();
    }

    public List<String> requestHeads() {
        return requestHeads;
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        } catch (IOException ignored) {
            // best effort in tests
        }
    }

    public static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final List<String> heads;

        Connection(Socket socket, List<String> heads) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.heads = heads;
        }

        /** Reads one request head and its Content-Length body; null when the peer closed first. */
        public String readRequest() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            int c;
            while (matched < 4 && (c = in.read()) >= 0) {
                head.write(c);
                matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : 0;
            }
            if (matched < 4) {
                return null;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            heads.add(text);
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    in.readNBytes(Integer.parseInt(line.substring(15).trim()));
                }
            }
            return text;
        }

        public void write(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Closes with a TCP reset rather than an orderly FIN. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        public void close() throws IOException {
            socket.close();
        }
    }
}
