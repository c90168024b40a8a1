package dev.meshgate.gateway.fastpath;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class RootSamplingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aTraceTheEdgeDecidedToRecordIsRecordedWhateverTheRatio() {
        Sampler sampler = RootSampling.parentBased(0.0);
        AtomicReference<SamplingDecision> inside = new AtomicReference<>();

        RootSampling.recorded(() -> inside.set(decide(sampler)));

        assertThat(inside.get()).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(sampler)).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void otherwiseTheRatioDecides() {
        assertThat(decide(RootSampling.parentBased(1.0))).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(RootSampling.parentBased(0.0))).isEqualTo(SamplingDecision.DROP);
    }

    private static SamplingDecision decide(Sampler sampler) {
        return sampler.shouldSample(Context.root(), TRACE_ID, "http get", SpanKind.SERVER, Attributes.empty(), List.of())
                .getDecision();
    }
}
