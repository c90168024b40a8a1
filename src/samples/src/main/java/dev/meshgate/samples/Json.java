package dev.meshgate.samples;

import dev.meshgate.core.json.JsonStrings;

import java.util.Map;

/** Just enough JSON writing for the samples' small responses (no library: start-up stays fast). */
final class Json {

    private Json() {
    }

    /** A JSON string literal, or {@code null} for a null value. */
    static String string(String value) {
        return JsonStrings.quote(value);
    }

    /** An object whose values are strings. */
    static String object(Map<String, String> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(string(key)).append(':').append(string(value));
        });
        return out.append('}').toString();
    }
}
