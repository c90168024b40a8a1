package dev.meshgate.samples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The search tool's corpus: a handful of documents scored by how many query words they contain.
 * Small and deterministic, so a test can tell exactly what an answer should be.
 */
final class SearchIndex {

    record Document(String title, String url, String text) {
    }

    record Hit(Document document, int score) {
    }

    private static final List<Document> DOCUMENTS = List.of(
            new Document("Sidecar proxies", "https://example.org/docs/sidecar",
                    "a sidecar proxy runs beside each service instance and handles traffic, retries and telemetry"),
            new Document("Service discovery", "https://example.org/docs/discovery",
                    "instances register with the registry and clients discover healthy endpoints by service name"),
            new Document("Load balancing", "https://example.org/docs/balancing",
                    "round robin, least requests and zone aware choices spread requests across endpoints"),
            new Document("Distributed tracing", "https://example.org/docs/tracing",
                    "the traceparent header carries the trace id across every hop so one request forms one trace"),
            new Document("Canary releases", "https://example.org/docs/canary",
                    "a traffic split sends a small share of requests to a new version before a full release"),
            new Document("Circuit breakers", "https://example.org/docs/resilience",
                    "a circuit breaker stops calling a failing endpoint and retries with backoff when it recovers"),
            new Document("Planning a demo", "https://example.org/docs/demo",
                    "the demo plan calls a search tool and a calc tool through the mesh and returns both answers"));

    private SearchIndex() {
    }

    static List<Hit> search(String query) {
        Set<String> words = words(query);
        List<Hit> hits = new ArrayList<>();
        for (Document document : DOCUMENTS) {
            Set<String> documentWords = words(document.title() + " " + document.text());
            int score = (int) words.stream().filter(documentWords::contains).count();
            if (score > 0) {
                hits.add(new Hit(document, score));
            }
        }
        hits.sort(Comparator.comparingInt(Hit::score).reversed().thenComparing(hit -> hit.document().title()));
        return hits;
    }

    static String toJson(String query, List<Hit> hits) {
        String list = hits.stream()
                .map(hit -> "{\"title\":" + Json.string(hit.document().title())
                        + ",\"url\":" + Json.string(hit.document().url())
                        + ",\"score\":" + hit.score() + "}")
                .collect(Collectors.joining(","));
        return "{\"query\":" + Json.string(query) + ",\"hits\":[" + list + "]}";
    }

    private static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                .filter(word -> word.length() > 1)
                .collect(Collectors.toSet());
    }
}
