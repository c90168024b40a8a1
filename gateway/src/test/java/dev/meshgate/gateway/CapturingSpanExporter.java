package dev.meshgate.gateway;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every span it is given: declared as a bean, it receives what Boot's span processor exports. */
public final class CapturingSpanExporter implements SpanExporter {

    private final List<SpanData> exported = new CopyOnWriteArrayList<>();

    /** Every span exported so far. */
    public List<SpanData> spans() {
        return List.copyOf(exported);
    }

    /** The spans of one trace exported so far. */
    public List<SpanData> spansOf(String traceId) {
        return exported.stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        exported.addAll(spans);
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
