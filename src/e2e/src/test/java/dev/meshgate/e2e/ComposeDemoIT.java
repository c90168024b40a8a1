package dev.meshgate.e2e;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose file brought up for real, the demo request sent through the gateway container. Runs
 * where a Docker engine answers; skipped (not failed) elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeDemoIT {

    private static final int GATEWAY_PORT = 8080;

    @Container
    static final ComposeContainer COMPOSE = new ComposeContainer(
            MeshTopologyExtension.home().resolve("docker-compose.yml").toFile())
            .withBuild(true)
            .withExposedService("gateway", GATEWAY_PORT,
                    Wait.forHttp("/planner/plan?task=probe").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(5)));

    @Test
    void theDemoRequestIsAnsweredThroughTheComposedGateway() throws Exception {
        String gateway = "http://" + COMPOSE.getServiceHost("gateway", GATEWAY_PORT) + ":"
                + COMPOSE.getServicePort("gateway", GATEWAY_PORT);

        HttpResponse<String> response = Http.get(gateway + "/planner/plan?task=demo");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.json(response.body()).path("calc").path("service").asString()).isEqualTo("calc");
    }
}
