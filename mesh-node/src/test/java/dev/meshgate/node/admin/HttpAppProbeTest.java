package dev.meshgate.node.admin;

import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.testing.FreePorts;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP probe against a real server on loopback: which answers mean the app serves. */
class HttpAppProbeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AtomicReference<HttpResponseStatus> answer = new AtomicReference<>(HttpResponseStatus.OK);
    private final DisposableServer app = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) -> response.status(answer.get()).sendString(Mono.just("ok")))
            .bindNow();

    @AfterEach
    void stop() {
        app.disposeNow();
    }

    private static MeshNodeProperties.App app(int port, String path) {
        return new MeshNodeProperties.App("127.0.0.1", port,
                new MeshNodeProperties.AppHealth(true, path, Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 1));
    }

    @Test
    void withoutAPathAnyAnswerBelow500MeansTheAppServes() {
        HttpAppProbe probe = new HttpAppProbe(app(app.port(), ""));
        assertThat(HttpAppProbe.url(app(app.port(), ""))).isEqualTo("http://127.0.0.1:" + app.port() + "/");

        probe.probe().block(WAIT);
        answer.set(HttpResponseStatus.NOT_FOUND);
        probe.probe().block(WAIT);
        answer.set(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThatThrownBy(() -> probe.probe().block(WAIT)).hasMessageContaining("answered 503");
    }

    @Test
    void withAPathOnlyASuccessMeansTheAppServes() {
        HttpAppProbe probe = new HttpAppProbe(app(app.port(), "/health"));

        probe.probe().block(WAIT);
        answer.set(HttpResponseStatus.NOT_FOUND);
        assertThatThrownBy(() -> probe.probe().block(WAIT)).hasMessage("GET http://127.0.0.1:" + app.port() + "/health answered 404");
    }

    @Test
    void aClosedPortIsAFailureNamingTheUrl() {
        int closed = FreePorts.closed();
        assertThatThrownBy(() -> new HttpAppProbe(app(closed, "")).probe().block(WAIT))
                .hasMessageStartingWith("GET http://127.0.0.1:" + closed + "/ failed");
    }
}
