package dev.meshgate.core.json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonStringsTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(JsonStrings.quote("a\"b\\c\nd\re\tf\u0001g")).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\"");
    }

    @Test
    void leavesOtherCharactersAlone() {
        assertThat(JsonStrings.quote("plain – ü ✓ /path?x=1")).isEqualTo("\"plain – ü ✓ /path?x=1\"");
    }

    @Test
    void nullIsTheJsonNullLiteral() {
        assertThat(JsonStrings.quote(null)).isEqualTo("null");
        assertThat(JsonStrings.appendQuoted(new StringBuilder("x:"), null)).hasToString("x:null");
    }
}
