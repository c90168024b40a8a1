package dev.meshgate.bench.report;

import java.util.Locale;

/** How figures are written in the report: a dash for what was not measured. */
public final class Format {

    private Format() {
    }

    public static String micros(double micros) {
        if (Double.isNaN(micros)) {
            return "-";
        }
        if (Math.abs(micros) >= 10_000) {
            return String.format(Locale.ROOT, "%.1f ms", micros / 1000);
        }
        if (Math.abs(micros) >= 1_000) {
            return String.format(Locale.ROOT, "%.2f ms", micros / 1000);
        }
        return String.format(Locale.ROOT, "%.0f µs", micros);
    }

    public static String millis(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%,.0f ms", millis);
    }

    public static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    public static String ratio(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "-" : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    /** How much {@code now} differs from {@code before}, as a signed percentage of {@code before}. */
    public static String change(double before, double now) {
        double change = (now / before - 1) * 100;
        // rounded first, so that a change under half a percent reads +0%, never -0%
        return Double.isNaN(change) || Double.isInfinite(change) ? "-" : String.format(Locale.ROOT, "%+d%%", Math.round(change));
    }

    public static String decimal(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    /** A fraction as a percentage: 0.253 as 25.3%. */
    public static String share(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    public static String megabytes(long kilobytes) {
        return kilobytes <= 0 ? "-" : String.format(Locale.ROOT, "%.0f", kilobytes / 1024.0);
    }
}
