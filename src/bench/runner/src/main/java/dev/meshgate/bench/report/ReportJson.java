package dev.meshgate.bench.report;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The raw figures as JSON, through Jackson: records as objects (component names as keys, in
 * declaration order), two-space indentation, one member or element a line. A figure is rounded to
 * three decimals and written without a fraction when it has none; a NaN or infinite one (a figure
 * that could not be measured) is written as null, which is how {@link Baseline} reads it back.
 */
public final class ReportJson {

    private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .defaultPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
                    .withObjectIndenter(INDENT)
                    .withArrayIndenter(INDENT))
            .addModule(new SimpleModule("bench-figures")
                    .addSerializer(Double.class, new FigureSerializer())
                    .addSerializer(double.class, new FigureSerializer()))
            .build();

    private ReportJson() {
    }

    /** {@code run} as the report's JSON, ending with a newline. */
    public static String write(RunFigures run) {
        return MAPPER.writeValueAsString(run) + "\n";
    }

    /**
     * A JSON text as plain values: objects as {@link java.util.Map}, arrays as {@link java.util.List},
     * numbers as {@link Number}.
     *
     * @throws JacksonException when the text is not one JSON value
     */
    static Object read(String text) {
        return MAPPER.readValue(text, Object.class);
    }

    private static final class FigureSerializer extends ValueSerializer<Double> {

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializationContext context) {
            double number = value;
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                gen.writeNull();
            } else if (number == Math.rint(number) && Math.abs(number) < 1e15) {
                gen.writeNumber((long) number);
            } else {
                gen.writeNumber(Math.round(number * 1000) / 1000.0);
            }
        }
    }
}
