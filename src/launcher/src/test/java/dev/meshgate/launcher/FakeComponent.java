package dev.meshgate.launcher;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for every jar of the topology in launcher tests: listens on each port its arguments
 * name, answers 200 to every health check and probe, and lists the default nodes as registered.
 * {@code -Dfake.exit-code=N} makes it print some log lines and exit at once instead;
 * {@code -Dfake.status=N} makes it answer every request with that status.
 */
public final class FakeComponent {

    private static final Pattern PORT_ARGUMENT = Pattern.compile(
            "--(?:server\\.port|mesh\\.listeners\\.(?:outbound|inbound)\\.port)=(\\d+)");
    private static final Pattern WORKLOAD_PORT = Pattern.compile("[=,]port=(\\d+)");
    static final String REGISTERED = "{\"applications\":{\"application\":["
            + "{\"name\":\"PLANNER\",\"instance\":{\"instanceId\":\"planner-1\",\"status\":\"UP\"}},"
            + "{\"name\":\"SEARCH\",\"instance\":[{\"instanceId\":\"search-1\",\"status\":\"UP\"},{\"instanceId\":\"search-2\",\"status\":\"UP\"}]},"
            + "{\"name\":\"CALC\",\"instance\":[{\"instanceId\":\"calc-1\",\"status\":\"UP\"}]}]}}";

    private FakeComponent() {
    }

    public static void main(String[] args) throws Exception {
        String exitCode = System.getProperty("fake.exit-code");
        if (exitCode != null) {
            for (int line = 1; line <= 40; line++) {
                System.out.println("fake log line " + line);
            }
            System.exit(Integer.parseInt(exitCode));
        }
        List<HttpServer> servers = new ArrayList<>();
        for (int port : ports(args)) {
            servers.add(serve(port));
        }
        System.out.println("fake component listening on " + ports(args));
        Thread.currentThread().join();
    }

    static List<Integer> ports(String[] args) {
        List<Integer> ports = new ArrayList<>();
        for (String arg : args) {
            Matcher flag = PORT_ARGUMENT.matcher(arg);
            if (flag.matches()) {
                ports.add(Integer.parseInt(flag.group(1)));
            }
            if (arg.startsWith("--workload=")) {
                Matcher workload = WORKLOAD_PORT.matcher(arg);
                if (workload.find()) {
                    ports.add(Integer.parseInt(workload.group(1)));
                }
            }
        }
        return ports;
    }

    private static HttpServer serve(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            String body = exchange.getRequestURI().getPath().equals("/eureka/apps") ? REGISTERED : "{\"status\":\"UP\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(Integer.getInteger("fake.status", 200), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }
}
