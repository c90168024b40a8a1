package dev.meshgate.node.discovery;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registration loop over real HTTP against a registry that behaves like Eureka: the timing
 * logic is proven on virtual time in {@link EurekaRegistrarTest}; this proves the requests.
 */
class RegistrationAgainstFakeRegistryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    // short real intervals: the requests, not the timing, are under test here
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final InstanceRegistration SEARCH_1 = new InstanceRegistration("search-1", "search",
            "127.0.0.1", 15106, 15101, 15100, "v1", "local", Duration.ofSeconds(1), Duration.ofSeconds(30));

    private final FakeEurekaServer registry = new FakeEurekaServer();
    private final EurekaRestClient client = new EurekaRestClient(registry.baseUrl(), Duration.ofSeconds(2));
    private final RegistryStatus status = new RegistryStatus(registry.baseUrl(), true, Clock.systemUTC());
    private final EurekaRegistrar registrar = new EurekaRegistrar(client, status, HEARTBEAT, Duration.ofMillis(50), Schedulers.parallel());

    @AfterEach
    void dispose() {
        registrar.stop(Duration.ofSeconds(1));
        client.close();
        registry.close();
    }

    @Test
    void registersRenewsReRegistersAfterTheRegistryForgetsAndDeregistersOnStop() {
        registrar.start(SEARCH_1);

        await().atMost(WAIT).until(() -> registry.registered("SEARCH", "search-1") != null);
        await().atMost(WAIT).until(() -> registry.requests(HttpMethod.PUT).size() >= 2);
        assertThat(registry.requests(HttpMethod.PUT)).extracting(FakeEurekaServer.Recorded::path)
                .containsOnly("/eureka/apps/SEARCH/search-1");

        registry.forget("SEARCH", "search-1");
        await().atMost(WAIT).until(() -> registry.requests(HttpMethod.POST).size() == 2);
        await().atMost(WAIT).until(() -> registry.registered("SEARCH", "search-1") != null);

        registrar.stop(Duration.ofSeconds(1));

        assertThat(registry.requests(HttpMethod.DELETE)).extracting(FakeEurekaServer.Recorded::path)
                .containsExactly("/eureka/apps/SEARCH/search-1");
        assertThat(registry.registered("SEARCH", "search-1")).isNull();
        assertThat(status.view().registered()).isFalse();
    }

    @Test
    void keepsTryingWhileTheRegistryFailsAndRegistersOnceItRecovers() {
        registry.failWith(HttpResponseStatus.SERVICE_UNAVAILABLE);

        registrar.start(SEARCH_1);
        await().atMost(WAIT).until(() -> registry.requests(HttpMethod.POST).size() >= 3);
        assertThat(status.view().registered()).isFalse();
        assertThat(status.view().lastError()).contains("503");

        registry.failWith(null);
        await().atMost(WAIT).until(() -> status.view().registered());
        assertThat(registry.registered("SEARCH", "search-1")).isNotNull();
    }

    @Test
    void shutdownIsNotHeldUpByARegistryThatDoesNotAnswer() {
        registrar.start(SEARCH_1);
        await().atMost(WAIT).until(() -> status.view().registered());
        registry.hold();

        long started = System.nanoTime();
        registrar.stop(Duration.ofMillis(300));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(status.view().registered()).isFalse();
    }
}
