package dev.meshgate.gateway;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import org.springframework.stereotype.Component;

/**
 * Keeps the gateway's own background calls out of exported traces: a client span with no parent is a
 * call no request asked for (the registry client's fetch every few seconds, the config client), and
 * at the edge's sampling ratio it would start a trace of its own every half minute or so. Their
 * {@code http.client.requests} timers stay.
 */
@Component
class BackgroundCallSpans implements SpanExportingPredicate {

    @Override
    public boolean isExportable(FinishedSpan span) {
        return !(span.getKind() == Span.Kind.CLIENT && isRoot(span.getParentId()));
    }

    /** OpenTelemetry gives a root span the invalid parent id (all zeros) rather than none. */
    private static boolean isRoot(String parentId) {
        return parentId == null || parentId.isEmpty() || parentId.chars().allMatch(c -> c == '0');
    }
}
