package dev.meshgate.controlplane;

import reactor.core.publisher.Mono;

/** One attempt to reach the config server, made anew on every subscription. */
@FunctionalInterface
public interface ConfigServerProbe {

    /** Completes when the config server serves this application's configuration; errors saying why not. */
    Mono<Void> probe();
}
