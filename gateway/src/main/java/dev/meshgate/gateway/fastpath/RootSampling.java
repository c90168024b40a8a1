package dev.meshgate.gateway.fastpath;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import java.util.List;
import java.util.function.Supplier;

/**
 * The sampling decision for traces that start at the edge, made once. The fast path draws it for
 * every request without trace context. A recorded one it either records itself ({@link RecordedSpans})
 * or hands to Gateway's filter chain; either way the root span must then be recorded rather than
 * sampled a second time (that would record {@code p²} of the traces). The decision travels on the
 * event-loop thread while the root span starts: within {@link #recordedRoot}, or for the duration of
 * the hand-off, in which Gateway starts its server observation synchronously. Requests Gateway
 * receives any other way are sampled by the configured ratio as before.
 */
public final class RootSampling implements Sampler {

    private static final ThreadLocal<Boolean> DECIDED = new ThreadLocal<>();

    private final Sampler ratio;

    private RootSampling(Sampler ratio) {
        this.ratio = ratio;
    }

    /** Boot's default sampler (parent-based, trace-id ratio) with the edge's root decision inside. */
    public static Sampler parentBased(double probability) {
        return Sampler.parentBased(new RootSampling(Sampler.traceIdRatioBased(probability)));
    }

    /** Runs {@code handOff} with the root decision "record" for any trace started within it. */
    static void recorded(Runnable handOff) {
        recordedRoot(() -> {
            handOff.run();
            return null;
        });
    }

    /** Starts a root span the edge decided to record: the sampler records it without drawing again. */
    static <T> T recordedRoot(Supplier<T> start) {
        DECIDED.set(Boolean.TRUE);
        try {
            return start.get();
        } finally {
            DECIDED.remove();
        }
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        if (DECIDED.get() != null) {
            return SamplingResult.recordAndSample();
        }
        return ratio.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "EdgeRootSampling{" + ratio.getDescription() + "}";
    }
}
