package dev.meshgate.core.trace;

import java.nio.charset.StandardCharsets;
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
    private static final byte NOT_SAMPLED = 0x00;
    /** Offsets in a version-00 header: {@code 00-<trace id>-<span id>-<flags>}. */
    private static final int TRACE_ID_AT = 3;
    private static final int TRACE_ID_END = TRACE_ID_AT + 32;
    private static final int SPAN_ID_AT = 36;
    private static final int SPAN_ID_END = SPAN_ID_AT + 16;
    private static final int FLAGS_AT = 53;
    private static final int LENGTH = FLAGS_AT + 2;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    public TraceContext {
        if (traceId == null || traceId.length() != 32 || !isNonZeroLowerHex(traceId, 0, 32)) {
            throw new IllegalArgumentException("traceId must be 32 lower-case hex digits, not all zero, was " + traceId);
        }
        if (spanId == null || spanId.length() != 16 || !isNonZeroLowerHex(spanId, 0, 16)) {
            throw new IllegalArgumentException("spanId must be 16 lower-case hex digits, not all zero, was " + spanId);
        }
    }

    /** Starts a new sampled trace with no parent. */
    public static TraceContext newTrace() {
        return newTrace(true);
    }

    /** Starts a new trace with no parent, recorded or not as {@code sampled} says. */
    public static TraceContext newTrace(boolean sampled) {
        return new TraceContext(randomHex(32), randomHex(16), null, sampled ? SAMPLED : NOT_SAMPLED);
    }

    /** The {@code traceparent} of a new sampled trace with no parent: {@code newTrace().traceparent()}, built directly. */
    public static String newTraceparent() {
        byte[] out = versionZeroLayout();
        putRandomHex(out, TRACE_ID_AT, 32);
        putRandomHex(out, SPAN_ID_AT, 16);
        out[FLAGS_AT] = '0';
        out[FLAGS_AT + 1] = '1';
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /**
     * The span of this hop: a child of the incoming {@code traceparent} when it is valid, the root of
     * a new trace otherwise.
     */
    public static TraceContext childOf(CharSequence traceparent) {
        TraceContext parent = parse(traceparent);
        return parent == null ? newTrace() : parent.child();
    }

    /** A new span of this trace whose parent is this span, with the same flags. */
    public TraceContext child() {
        return new TraceContext(traceId, randomHex(16), spanId, flags);
    }

    /**
     * Parses a version-00 {@code traceparent}, or returns null when it is absent or invalid. Runs on
     * every proxied request: it validates in one pass over the header as given (no trimmed or
     * sliced copies) and copies out only the two ids.
     */
    public static TraceContext parse(CharSequence header) {
        int start = validStart(header);
        if (start < 0) {
            return null;
        }
        return new TraceContext(copy(header, start + TRACE_ID_AT, start + TRACE_ID_END),
                copy(header, start + SPAN_ID_AT, start + SPAN_ID_END), null, (byte) hexByte(header, start + FLAGS_AT));
    }

    /**
     * The {@code traceparent} of a new child span of {@code incoming}: its trace id and flags, a fresh
     * span id. Null when {@code incoming} is absent or invalid, so the caller starts a new trace.
     * Equivalent to {@code childOf(incoming).traceparent()} for a valid header, for a proxy that
     * only passes the trace on: it validates the header once and builds the new one without the ids
     * as strings in between.
     */
    public static String childTraceparent(CharSequence incoming) {
        int start = validStart(incoming);
        if (start < 0) {
            return null;
        }
        byte[] out = versionZeroLayout();
        for (int i = TRACE_ID_AT; i < TRACE_ID_END; i++) {
            out[i] = (byte) incoming.charAt(start + i);
        }
        putRandomHex(out, SPAN_ID_AT, 16);
        out[FLAGS_AT] = (byte) incoming.charAt(start + FLAGS_AT);
        out[FLAGS_AT + 1] = (byte) incoming.charAt(start + FLAGS_AT + 1);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /**
     * Where the valid {@code traceparent} in {@code header} starts (after optional whitespace), or -1
     * when it is absent or invalid; one pass, no copies.
     */
    private static int validStart(CharSequence header) {
        if (header == null) {
            return -1;
        }
        int start = 0;
        int end = header.length();
        while (start < end && isOptionalWhitespace(header.charAt(start))) {
            start++;
        }
        while (end > start && isOptionalWhitespace(header.charAt(end - 1))) {
            end--;
        }
        int length = end - start;
        // version 00 is exactly 55 characters; later versions may append fields after a dash
        if (length < LENGTH || (length > LENGTH && header.charAt(start + LENGTH) != '-')) {
            return -1;
        }
        if (header.charAt(start + TRACE_ID_AT - 1) != '-' || header.charAt(start + TRACE_ID_END) != '-'
                || header.charAt(start + SPAN_ID_END) != '-') {
            return -1;
        }
        int version = hexByte(header, start);
        if (version < 0 || version == 0xff || (version == 0 && length != LENGTH)) {
            return -1;
        }
        if (hexByte(header, start + FLAGS_AT) < 0 || !isNonZeroLowerHex(header, start + TRACE_ID_AT, start + TRACE_ID_END)
                || !isNonZeroLowerHex(header, start + SPAN_ID_AT, start + SPAN_ID_END)) {
            return -1;
        }
        return start;
    }

    /** The header this hop sends downstream: our span id becomes the next hop's parent. */
    public String traceparent() {
        byte[] out = versionZeroLayout();
        put(out, TRACE_ID_AT, traceId);
        put(out, SPAN_ID_AT, spanId);
        out[FLAGS_AT] = HEX[(flags >> 4) & 0xf];
        out[FLAGS_AT + 1] = HEX[flags & 0xf];
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** A version-00 {@code traceparent} with its version and dashes in place, ids and flags to fill in. */
    private static byte[] versionZeroLayout() {
        byte[] out = new byte[LENGTH];
        out[0] = '0';
        out[1] = '0';
        out[TRACE_ID_AT - 1] = '-';
        out[SPAN_ID_AT - 1] = '-';
        out[FLAGS_AT - 1] = '-';
        return out;
    }

    /** The single-header B3 form of this span: {@code traceId-spanId-samplingState}. */
    public String b3() {
        return traceId + '-' + spanId + (sampled() ? "-1" : "-0");
    }

    public boolean sampled() {
        return (flags & SAMPLED) != 0;
    }

    /** ASCII {@code value} into {@code out} at {@code at} (ids are validated hex: one byte per char). */
    private static void put(byte[] out, int at, String value) {
        for (int i = 0; i < value.length(); i++) {
            out[at + i] = (byte) value.charAt(i);
        }
    }

    private static boolean isOptionalWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** The value of two lower-case hex digits at {@code at}, or -1. */
    private static int hexByte(CharSequence value, int at) {
        int high = hexDigit(value.charAt(at));
        int low = hexDigit(value.charAt(at + 1));
        return high < 0 || low < 0 ? -1 : (high << 4) | low;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** True when {@code [from, to)} is lower-case hex and not all zeros (the W3C invalid id). */
    private static boolean isNonZeroLowerHex(CharSequence value, int from, int to) {
        boolean allZero = true;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (hexDigit(c) < 0) {
                return false;
            }
            allZero &= c == '0';
        }
        return !allZero;
    }

    private static String copy(CharSequence value, int from, int to) {
        if (value instanceof String string) {
            return string.substring(from, to);
        }
        byte[] out = new byte[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) value.charAt(from + i);
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** {@code digits} (a multiple of 16) random hex digits, not all zero: 64 random bits per 16 digits. */
    private static String randomHex(int digits) {
        byte[] out = new byte[digits];
        putRandomHex(out, 0, digits);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code digits} (a multiple of 16) random hex digits, not all zero, into {@code out} at {@code at}. */
    private static void putRandomHex(byte[] out, int at, int digits) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean allZero = true;
        long bits = 0;
        for (int i = 0; i < digits; i++) {
            if ((i & 15) == 0) {
                bits = random.nextLong();
                allZero &= bits == 0;
            }
            out[at + i] = HEX[(int) (bits >>> 60)];
            bits <<= 4;
        }
        if (allZero) {
            out[at + digits - 1] = '1';
        }
    }
}
