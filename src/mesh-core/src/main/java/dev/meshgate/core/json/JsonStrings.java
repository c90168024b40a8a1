package dev.meshgate.core.json;

/**
 * JSON string literals for the small bodies the mesh writes by hand (error responses on the hot
 * path, sample workloads, reports), where a JSON library would cost start-up time or allocation.
 */
public final class JsonStrings {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonStrings() {
    }

    /** Appends {@code value} as a quoted, escaped JSON string, or {@code null} for a null value. */
    public static StringBuilder appendQuoted(StringBuilder out, CharSequence value) {
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** {@code value} as a quoted, escaped JSON string, or {@code null} for a null value. */
    public static String quote(CharSequence value) {
        return appendQuoted(new StringBuilder(value == null ? 4 : value.length() + 2), value).toString();
    }
}
