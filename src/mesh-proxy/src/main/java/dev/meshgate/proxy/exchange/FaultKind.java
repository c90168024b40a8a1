package dev.meshgate.proxy.exchange;

import java.util.Locale;

/** What a route's fault policy did to a request: the metrics tag and the {@code x-mesh-fault} header value. */
public enum FaultKind {
    DELAY,
    ABORT;

    private final String tag = name().toLowerCase(Locale.ROOT);

    public String tag() {
        return tag;
    }
}
