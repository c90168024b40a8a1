package dev.meshgate.core.trace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context (<a href="https://www.w3.org/TR/trace-context/">traceparent</a>) as plain values.
 *
 * <p>Every mesh hop is a span: it keeps the caller's trace id, records the caller's span as its
 * parent, and sends its own fresh span id downstream. A missing or malformed header starts a new
 * trace rather than failing the request.
 */
public record TraceContext(String traceId, String spanId, String parentSpanId, byte flags) {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    private static final byte SAMPLED = 0x01;
    private static final String INVALID_TRACE_ID = "00000000000000000000000000000000";
    private static final String INVALID_SPAN_ID = "0000000000000000";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public TraceContext {
        if (!isLowerHex(traceId, 32) || INVALID_TRACE_ID.equals(traceId)) {
            throw new IllegalArgumentException("traceId must be 32 lower-case hex digits, not all zero, was " + traceId);
        }
        if (!isLowerHex(spanId, 16) || INVALID_SPAN_ID.equals(spanId)) {
            throw new IllegalArgumentException("spanId must be 16 lower-case hex digits, not all zero, was " + spanId);
        }
    }

    /** Starts a new sampled trace with no parent. */
    public static TraceContext newTrace() {
        return new TraceContext(randomHex(32), randomHex(16), null, SAMPLED);
    }

    /**
     * The span of this hop: a child of the incoming {@code traceparent} when it is valid, the root of
     * a new trace otherwise.
     */
    public static TraceContext childOf(CharSequence traceparent) {
        TraceContext parent = parse(traceparent);
        if (parent == null) {
            return newTrace();
        }
        return new TraceContext(parent.traceId, randomHex(16), parent.spanId, parent.flags);
    }

    /** Parses a version-00 {@code traceparent}, or returns null when it is absent or invalid. */
    public static TraceContext parse(CharSequence header) {
        if (header == null) {
            return null;
        }
        String value = header.toString().trim();
        // version 00 is exactly 55 characters; later versions may append fields after a dash
        if (value.length() < 55 || (value.length() > 55 && value.charAt(55) != '-')) {
            return null;
        }
        if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return null;
        }
        String version = value.substring(0, 2);
        if (!isLowerHex(version, 2) || "ff".equals(version) || ("00".equals(version) && value.length() != 55)) {
            return null;
        }
        String traceId = value.substring(3, 35);
        String spanId = value.substring(36, 52);
        String flags = value.substring(53, 55);
        if (!isLowerHex(traceId, 32) || INVALID_TRACE_ID.equals(traceId)
                || !isLowerHex(spanId, 16) || INVALID_SPAN_ID.equals(spanId) || !isLowerHex(flags, 2)) {
            return null;
        }
        return new TraceContext(traceId, spanId, null, (byte) Integer.parseInt(flags, 16));
    }

    /** The header this hop sends downstream: our span id becomes the next hop's parent. */
    public String traceparent() {
        StringBuilder out = new StringBuilder(55);
        out.append("00-").append(traceId).append('-').append(spanId).append('-');
        out.append(HEX[(flags >> 4) & 0xf]).append(HEX[flags & 0xf]);
        return out.toString();
    }

    public boolean sampled() {
        return (flags & SAMPLED) != 0;
    }

    private static boolean isLowerHex(String value, int length) {
        if (value == null || value.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static String randomHex(int digits) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[digits];
        boolean allZero = true;
        for (int i = 0; i < digits; i++) {
            int nibble = random.nextInt(16);
            allZero &= nibble == 0;
            out[i] = HEX[nibble];
        }
        if (allZero) {
            out[digits - 1] = '1';
        }
        return new String(out);
    }
}
