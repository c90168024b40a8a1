package dev.meshgate.core.trace;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceContextTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void parsesAValidHeader() {
        TraceContext parsed = TraceContext.parse(VALID);
        assertThat(parsed.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(parsed.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(parsed.sampled()).isTrue();
        assertThat(parsed.traceparent()).isEqualTo(VALID);
    }

    @Test
    void aChildKeepsTheTraceIdAndGetsAFreshSpan() {
        TraceContext child = TraceContext.childOf(VALID);
        assertThat(child.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(child.parentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(child.spanId()).isNotEqualTo("00f067aa0ba902b7").hasSize(16);
        assertThat(child.traceparent()).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01");
    }

    @Test
    void keepsTheUnsampledFlag() {
        TraceContext child = TraceContext.childOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
        assertThat(child.sampled()).isFalse();
        assertThat(child.traceparent()).endsWith("-00");
    }

    @Test
    void malformedOrMissingHeadersStartANewTrace() {
        for (String bad : new String[] {null, "", "garbage", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"}) {
            assertThat(TraceContext.parse(bad)).as(String.valueOf(bad)).isNull();
            assertThat(TraceContext.childTraceparent(bad)).as(String.valueOf(bad)).isNull();
            TraceContext fresh = TraceContext.childOf(bad);
            assertThat(fresh.parentSpanId()).isNull();
            assertThat(TraceContext.parse(fresh.traceparent())).isNotNull();
        }
    }

    @Test
    void acceptsAFutureVersionWithExtraFields() {
        TraceContext parsed = TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next");
        assertThat(parsed).isNotNull();
        assertThat(parsed.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void rejectsInvalidIdsWhenBuilt() {
        assertThatThrownBy(() -> new TraceContext("xyz", "00f067aa0ba902b7", null, (byte) 1))
                .hasMessageContaining("traceId").hasMessageContaining("xyz");
    }

    @Test
    void parsesAnyCharSequenceWithSurroundingWhitespace() {
        TraceContext parsed = TraceContext.parse(new StringBuilder(" \t" + VALID + " "));
        assertThat(parsed).isNotNull();
        assertThat(parsed.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(parsed.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(parsed.traceparent()).isEqualTo(VALID.trim());
    }

    @Test
    void rejectsAnUpperCaseFlagOrVersion() {
        assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A")).isNull();
        assertThat(TraceContext.parse("0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNull();
    }

    @Test
    void newIdsAreLowerHexOfTheRightLength() {
        for (int i = 0; i < 1000; i++) {
            TraceContext fresh = TraceContext.newTrace();
            assertThat(fresh.traceId()).matches("[0-9a-f]{32}");
            assertThat(fresh.spanId()).matches("[0-9a-f]{16}");
            assertThat(TraceContext.parse(fresh.traceparent())).isEqualTo(fresh);
        }
    }

    @Test
    void anUnsampledNewTraceAndItsB3Form() {
        TraceContext fresh = TraceContext.newTrace(false);

        assertThat(fresh.sampled()).isFalse();
        assertThat(fresh.traceparent()).endsWith("-00");
        assertThat(fresh.b3()).isEqualTo(fresh.traceId() + "-" + fresh.spanId() + "-0");
        assertThat(TraceContext.newTrace().b3()).endsWith("-1");
    }

    @Test
    void aChildKeepsTheTraceAndFlagsWithANewSpan() {
        TraceContext parent = TraceContext.parse(VALID);
        TraceContext child = parent.child();

        assertThat(child.traceId()).isEqualTo(parent.traceId());
        assertThat(child.parentSpanId()).isEqualTo(parent.spanId());
        assertThat(child.spanId()).isNotEqualTo(parent.spanId());
        assertThat(child.flags()).isEqualTo(parent.flags());
    }

    @Test
    void aChildTraceparentIsTheHeaderOfAChildSpan() {
        for (String flags : new String[] {"01", "00"}) {
            String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-" + flags;

            TraceContext child = TraceContext.parse(TraceContext.childTraceparent(parent));

            assertThat(child.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(child.spanId()).isNotEqualTo("00f067aa0ba902b7").matches("[0-9a-f]{16}");
            assertThat(child.flags()).isEqualTo(TraceContext.parse(parent).flags());
        }
    }

    @Test
    void aChildTraceparentOfAFutureVersionOrPaddedHeaderIsVersion00() {
        String child = TraceContext.childTraceparent(
                new StringBuilder(" 01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next\t"));

        assertThat(child).hasSize(55).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01");
        assertThat(TraceContext.parse(child)).isNotNull();
    }

    @Test
    void aNewTraceparentIsASampledRootOfItsOwnTrace() {
        TraceContext first = TraceContext.parse(TraceContext.newTraceparent());
        TraceContext second = TraceContext.parse(TraceContext.newTraceparent());

        assertThat(first).isNotNull();
        assertThat(first.sampled()).isTrue();
        assertThat(first.traceId()).isNotEqualTo(second.traceId());
        assertThat(first.spanId()).isNotEqualTo(second.spanId());
    }
}
