package dev.meshgate.bench.contender;

import java.time.Duration;
import java.util.List;

/**
 * A started contender: where the load goes ({@code port}, the {@code Host} header, a path prefix
 * before {@code /bytes}), the processes to measure, and the time from the first spawn until a request
 * through the whole path first answered 200. {@code notes} say what the figures include.
 */
public record Deployment(int port, String host, String pathPrefix, List<MeasuredProcess> processes,
                         Duration readyTime, List<String> notes) {

    public Deployment {
        processes = List.copyOf(processes);
        notes = List.copyOf(notes);
    }

    public String path(int bodyBytes) {
        return pathPrefix + "/bytes?size=" + bodyBytes;
    }

    public String url(int bodyBytes) {
        return "http://127.0.0.1:" + port + path(bodyBytes);
    }
}
