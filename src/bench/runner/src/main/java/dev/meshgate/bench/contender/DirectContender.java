package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;

import java.time.Duration;
import java.util.List;

/** No proxy: the load goes straight to the upstream. The baseline every ratio is taken against. */
public final class DirectContender implements Contender {

    @Override
    public String id() {
        return "direct";
    }

    @Override
    public String title() {
        return "direct (no proxy)";
    }

    @Override
    public boolean jvm() {
        return false;
    }

    @Override
    public Deployment deploy(BenchContext context) {
        return new Deployment(context.upstreamPort(), "127.0.0.1", "", List.of(), Duration.ZERO,
                List.of("the upstream itself; its own CPU is not a proxy's and is not reported"));
    }
}
