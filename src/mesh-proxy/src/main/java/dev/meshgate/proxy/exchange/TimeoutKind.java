package dev.meshgate.proxy.exchange;

import java.util.Locale;

/** Which bound an exchange ran into: named in the 504's body and counted by kind. */
public enum TimeoutKind {

    /** The route's request timeout: the whole exchange, every try and wait included. */
    REQUEST,
    /** The retry policy's per-try timeout: one try without a response head. */
    PER_TRY,
    /** The engine's connect timeout: an endpoint that did not accept a connection. */
    CONNECT;

    /** The metrics tag and the value of the 504's {@code timeout} field: {@code per_try}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
