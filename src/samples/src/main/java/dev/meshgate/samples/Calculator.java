package dev.meshgate.samples;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Evaluates arithmetic with {@code + - * /}, unary minus and parentheses, in decimal so that
 * {@code 0.1+0.2} is {@code 0.3}. A malformed expression or a division by zero is rejected with a
 * message saying where.
 */
final class Calculator {

    private static final MathContext PRECISION = MathContext.DECIMAL64;
    private static final int MAX_LENGTH = 1024;

    private final String expression;
    private int position;

    private Calculator(String expression) {
        this.expression = expression;
    }

    static BigDecimal evaluate(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("expression is empty");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("expression is longer than " + MAX_LENGTH + " characters");
        }
        Calculator calculator = new Calculator(expression);
        BigDecimal value = calculator.sum();
        calculator.skipSpaces();
        if (calculator.position < expression.length()) {
            throw calculator.unexpected();
        }
        return value;
    }

    /** The value as plain text: no exponent, no trailing zeros ({@code 6}, not {@code 6.00}). */
    static String format(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    private BigDecimal sum() {
        BigDecimal value = product();
        while (true) {
            char operator = peek();
            if (operator == '+') {
                position++;
                value = value.add(product(), PRECISION);
            } else if (operator == '-') {
                position++;
                value = value.subtract(product(), PRECISION);
            } else {
                return value;
            }
        }
    }

    private BigDecimal product() {
        BigDecimal value = factor();
        while (true) {
            char operator = peek();
            if (operator == '*') {
                position++;
                value = value.multiply(factor(), PRECISION);
            } else if (operator == '/') {
                position++;
                int divisorAt = position;
                BigDecimal divisor = factor();
                if (divisor.signum() == 0) {
                    throw new IllegalArgumentException("division by zero at position " + (divisorAt + 1));
                }
                value = value.divide(divisor, PRECISION);
            } else {
                return value;
            }
        }
    }

    private BigDecimal factor() {
        char next = peek();
        if (next == '-') {
            position++;
            return factor().negate();
        }
        if (next == '+') {
            position++;
            return factor();
        }
        if (next == '(') {
            position++;
            BigDecimal inner = sum();
            if (peek() != ')') {
                throw unexpected();
            }
            position++;
            return inner;
        }
        return number();
    }

    private BigDecimal number() {
        skipSpaces();
        int start = position;
        while (position < expression.length()
                && (Character.isDigit(expression.charAt(position)) || expression.charAt(position) == '.')) {
            position++;
        }
        if (start == position) {
            throw unexpected();
        }
        try {
            return new BigDecimal(expression.substring(start, position));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + expression.substring(start, position)
                    + "' at position " + (start + 1) + " is not a number");
        }
    }

    private char peek() {
        skipSpaces();
        return position < expression.length() ? expression.charAt(position) : '\0';
    }

    private void skipSpaces() {
        while (position < expression.length() && Character.isWhitespace(expression.charAt(position))) {
            position++;
        }
    }

    private IllegalArgumentException unexpected() {
        if (position >= expression.length()) {
            return new IllegalArgumentException("expression ends too early");
        }
        return new IllegalArgumentException("unexpected '" + expression.charAt(position)
                + "' at position " + (position + 1));
    }
}
