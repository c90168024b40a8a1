package dev.meshgate.gateway.fastpath;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import java.util.List;

/**
 * The sampling decision for traces that start at the edge, made once. The fast path draws it for
 * every request without trace context: an unrecorded one it forwards itself, a recorded one it hands
 * to Gateway's filter chain, which must then record it rather than draw a second time (that would
 * record {@code p²} of the traces). The decision travels on the event-loop thread for the duration of
 * the hand-off; Gateway starts its server observation synchronously within it. Requests Gateway
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
        DECIDED.set(Boolean.TRUE);
        try {
            handOff.run();
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
