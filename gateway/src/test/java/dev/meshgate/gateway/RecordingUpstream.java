package dev.meshgate.gateway;

import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LoopbackUpstream} that answers "{@code <name>} saw {@code <uri>}" and records what the
 * gateway sent it; each test starts with nothing recorded.
 */
final class RecordingUpstream extends LoopbackUpstream implements BeforeEachCallback {

    /** One request as the upstream received it. */
    record Received(String uri, HttpHeaders headers) {

        List<String> all(String name) {
            return headers.getAll(name);
        }
    }

    private final BlockingQueue<Received> received;

    private RecordingUpstream(String service, String name, BlockingQueue<Received> received) {
        super(service, (request, response) -> {
            received.add(new Received(request.uri(), request.requestHeaders().copy()));
            return response.header("content-type", "text/plain").sendString(Mono.just(name + " saw " + request.uri()));
        });
        this.received = received;
    }

    /** {@code service}'s instance, which names itself {@code name} in its answers. */
    static RecordingUpstream of(String service, String name) {
        return new RecordingUpstream(service, name, new LinkedBlockingQueue<>());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        received.clear();
    }

    /** The next request the upstream received, waiting at most 5 s for it. */
    Received next() throws InterruptedException {
        Received next = received.poll(5, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the upstream received no request within 5 s");
        }
        return next;
    }
}
