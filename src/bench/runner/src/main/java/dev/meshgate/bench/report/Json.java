package dev.meshgate.bench.report;

import dev.meshgate.core.json.JsonStrings;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * Writes the raw figures as JSON: records as objects (component names as keys), maps, lists,
 * numbers, strings. A NaN or infinite number (a figure that could not be measured) is written as null.
 */
public final class Json {

    private Json() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.append('\n').toString();
    }

    private static void write(Object value, StringBuilder out, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            string(text, out);
        } else if (value instanceof Double number) {
            out.append(number.isNaN() || number.isInfinite() ? "null" : trim(number));
        } else if (value instanceof Float number) {
            write(number.doubleValue(), out, depth);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Duration duration) {
            out.append(duration.toMillis());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                separator(out, first, depth + 1);
                first = false;
                string(String.valueOf(entry.getKey()), out);
                out.append(": ");
                write(entry.getValue(), out, depth + 1);
            }
            close(out, first, depth, '}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object element : list) {
                separator(out, first, depth + 1);
                first = false;
                write(element, out, depth + 1);
            }
            close(out, first, depth, ']');
        } else if (value.getClass().isRecord()) {
            out.append('{');
            boolean first = true;
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                separator(out, first, depth + 1);
                first = false;
                string(component.getName(), out);
                out.append(": ");
                try {
                    write(component.getAccessor().invoke(value), out, depth + 1);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component.getName() + " of " + value.getClass(), e);
                }
            }
            close(out, first, depth, '}');
        } else {
            string(value.toString(), out);
        }
    }

    private static String trim(double number) {
        if (number == Math.rint(number) && Math.abs(number) < 1e15) {
            return Long.toString((long) number);
        }
        return Double.toString(Math.round(number * 1000) / 1000.0);
    }

    private static void separator(StringBuilder out, boolean first, int depth) {
        if (!first) {
            out.append(',');
        }
        out.append('\n').append("  ".repeat(depth));
    }

    private static void close(StringBuilder out, boolean empty, int depth, char bracket) {
        if (!empty) {
            out.append('\n').append("  ".repeat(depth));
        }
        out.append(bracket);
    }

    private static void string(String text, StringBuilder out) {
        JsonStrings.appendQuoted(out, text);
    }
}
