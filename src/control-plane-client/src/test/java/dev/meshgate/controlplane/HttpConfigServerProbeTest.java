package dev.meshgate.controlplane;

import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HttpConfigServerProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final FakeConfigServer configServer = new FakeConfigServer();

    @AfterEach
    void stop() {
        configServer.close();
    }

    @Test
    void asksForTheApplicationsDefaultProfileUnderEveryConfigName() {
        HttpConfigServerProbe probe = HttpConfigServerProbe.forApplication("http://10.0.0.1:8888", "mesh-node,search", TIMEOUT);

        assertThat(probe.environment()).hasToString("http://10.0.0.1:8888/mesh-node,search/default");
    }

    @Test
    void completesWhenTheConfigServerServesTheEnvironment() {
        configServer.comeUp();

        StepVerifier.create(HttpConfigServerProbe.forApplication(configServer.url(), "gateway", TIMEOUT).probe())
                .verifyComplete();
        assertThat(configServer.requests()).isEqualTo(1);
    }

    @Test
    void anyOtherAnswerIsAnErrorNamingTheRequestAndStatus() {
        configServer.answer(500);

        StepVerifier.create(HttpConfigServerProbe.forApplication(configServer.url(), "gateway", TIMEOUT).probe())
                .verifyErrorMessage("GET " + configServer.url() + "/gateway/default answered 500");
    }

    @Test
    void aRefusedConnectionIsAnErrorNamingTheRequest() {
        String closed = "http://127.0.0.1:" + FreePorts.closed();

        StepVerifier.create(HttpConfigServerProbe.forApplication(closed, "registry", TIMEOUT).probe())
                .expectErrorSatisfies(error -> assertThat(error)
                        .hasMessageStartingWith("GET " + closed + "/registry/default failed: ")
                        .hasMessageNotContaining("null"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void eachSubscriptionAsksAgain() {
        configServer.comeUp();
        HttpConfigServerProbe probe = HttpConfigServerProbe.forApplication(configServer.url(), "gateway", TIMEOUT);

        StepVerifier.create(probe.probe().then(probe.probe())).verifyComplete();

        assertThat(configServer.requests()).isEqualTo(2);
    }
}
