package dev.meshgate.samples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CalculatorTest {

    private static String eval(String expression) {
        return Calculator.format(Calculator.evaluate(expression));
    }

    @Test
    void respectsPrecedenceAndParentheses() {
        assertThat(eval("1+2*3")).isEqualTo("7");
        assertThat(eval("(1+2)*3")).isEqualTo("9");
        assertThat(eval("10-4-3")).isEqualTo("3");
        assertThat(eval("2*(3+4)/7")).isEqualTo("2");
        assertThat(eval(" 8 / 2 / 2 ")).isEqualTo("2");
    }

    @Test
    void worksInDecimal() {
        assertThat(eval("0.1+0.2")).isEqualTo("0.3");
        assertThat(eval("1/4")).isEqualTo("0.25");
        assertThat(eval("1/3")).startsWith("0.3333333333");
        assertThat(eval("-3*-2")).isEqualTo("6");
        assertThat(eval("100*100")).isEqualTo("10000");
    }

    @Test
    void rejectsMalformedExpressionsSayingWhere() {
        assertThatThrownBy(() -> Calculator.evaluate("1/0")).hasMessage("division by zero at position 3");
        assertThatThrownBy(() -> Calculator.evaluate("1+")).hasMessage("expression ends too early");
        assertThatThrownBy(() -> Calculator.evaluate("2*x")).hasMessage("unexpected 'x' at position 3");
        assertThatThrownBy(() -> Calculator.evaluate("(1+2")).hasMessage("expression ends too early");
        assertThatThrownBy(() -> Calculator.evaluate("1.2.3")).hasMessage("'1.2.3' at position 1 is not a number");
        assertThatThrownBy(() -> Calculator.evaluate("")).hasMessage("expression is empty");
    }
}
