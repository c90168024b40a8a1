package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Fills the registry with many services for the large-table run: one instance each, registered
 * through Eureka's REST API as a mesh-node registers itself, with a lease long enough to outlive the
 * run without heartbeats.
 */
public final class ClusterRegistrar {

    private static final int IN_FLIGHT = 16;
    private static final long LEASE_SECONDS = 3600;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** The name of cluster {@code index}: zero-padded so names sort in index order. */
    public static String name(String prefix, int index) {
        return prefix + String.format(Locale.ROOT, "%05d", index);
    }

    /** The registration body of one instance, in the shape Eureka's JSON codec reads. */
    static String instanceJson(String service, int port) {
        String app = service.toUpperCase(Locale.ROOT);
        return """
                {"instance":{"instanceId":"%1$s-1","app":"%2$s","hostName":"127.0.0.1","ipAddr":"127.0.0.1",\
                "vipAddress":"%1$s","secureVipAddress":"%1$s","status":"UP",\
                "port":{"$":%3$d,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},\
                "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},\
                "leaseInfo":{"renewalIntervalInSecs":%4$d,"durationInSecs":%4$d},\
                "metadata":{"version":"v1","zone":"local","mesh":"true"}}}""".formatted(service, app, port, LEASE_SECONDS);
    }

    /** Registers {@code count} clusters named {@code prefix00000…}, all served at 127.0.0.1:{@code port}. */
    public Duration register(String registryUrl, String prefix, int count, int port) {
        long started = System.nanoTime();
        Semaphore permits = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String service = name(prefix, i);
            HttpRequest request = HttpRequest.newBuilder(URI.create(registryUrl + "/apps/" + service.toUpperCase(Locale.ROOT)))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(instanceJson(service, port)))
                    .build();
            permits.acquireUninterruptibly();
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((answer, failure) -> permits.release()));
        }
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> answer = answers.get(i).join();
            if (answer.statusCode() != 204 && answer.statusCode() != 200) {
                throw new BenchException("the registry refused cluster " + name(prefix, i) + ": HTTP "
                        + answer.statusCode() + " " + answer.body());
            }
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
