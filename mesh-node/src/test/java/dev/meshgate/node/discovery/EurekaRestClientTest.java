package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.testing.FreePorts;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class EurekaRestClientTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final InstanceRegistration SEARCH_1 = new InstanceRegistration("search@10.0.0.5", "search",
            "10.0.0.5", 15106, 15101, 15100, "v1", "local", Duration.ofSeconds(5), Duration.ofSeconds(30));

    private final FakeEurekaServer registry = new FakeEurekaServer();
    private final EurekaRestClient client = new EurekaRestClient(registry.baseUrl() + "/", Duration.ofSeconds(2));

    @AfterEach
    void dispose() {
        client.close();
        registry.close();
    }

    @Test
    void registersWithAJsonInstanceInfoUnderTheUpperCaseAppName() {
        client.register(SEARCH_1).block(WAIT);

        FakeEurekaServer.Recorded post = registry.requests(HttpMethod.POST).get(0);
        assertThat(post.path()).isEqualTo("/eureka/apps/SEARCH");
        assertThat(post.contentType()).isEqualTo("application/json");
        assertThat(post.body()).contains("\"instanceId\":\"search@10.0.0.5\"", "\"app\":\"SEARCH\"");
        assertThat(registry.registered("SEARCH", "search@10.0.0.5")).isNotNull();
    }

    @Test
    void renewsAKnownInstanceAndReportsAnUnknownOneAsFalse() {
        assertThat(client.renew(SEARCH_1).block(WAIT)).isFalse();
        client.register(SEARCH_1).block(WAIT);

        assertThat(client.renew(SEARCH_1).block(WAIT)).isTrue();
        // '@' is legal in a path segment and goes as is
        assertThat(registry.requests(HttpMethod.PUT)).extracting(FakeEurekaServer.Recorded::path)
                .containsOnly("/eureka/apps/SEARCH/search@10.0.0.5");
    }

    @Test
    void anInstanceIdWithReservedCharactersIsEscapedInThePath() {
        InstanceRegistration odd = new InstanceRegistration("search 1/a", "search", "10.0.0.5",
                15106, 15101, 15100, "v1", "local", Duration.ofSeconds(5), Duration.ofSeconds(30));
        client.register(odd).block(WAIT);

        assertThat(client.renew(odd).block(WAIT)).isTrue();
        assertThat(registry.requests(HttpMethod.PUT).get(0).path()).isEqualTo("/eureka/apps/SEARCH/search%201%2Fa");
    }

    @Test
    void takesTheInstanceOutOfServiceAndBackWithTheStatusOverride() {
        client.register(SEARCH_1).block(WAIT);

        client.setInService(SEARCH_1, false).block(WAIT);
        assertThat(registry.registered("SEARCH", "search@10.0.0.5").path("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(registry.requests(HttpMethod.PUT).get(0).path())
                .isEqualTo("/eureka/apps/SEARCH/search@10.0.0.5/status?value=OUT_OF_SERVICE");

        client.setInService(SEARCH_1, true).block(WAIT);
        assertThat(registry.registered("SEARCH", "search@10.0.0.5").path("status").asString()).isEqualTo("UP");
        assertThat(registry.requests(HttpMethod.DELETE).get(0).path()).isEqualTo("/eureka/apps/SEARCH/search@10.0.0.5/status?value=UP");
    }

    @Test
    void deregistersAndTreatsAnAlreadyForgottenInstanceAsDone() {
        client.register(SEARCH_1).block(WAIT);

        client.deregister(SEARCH_1).block(WAIT);
        client.deregister(SEARCH_1).block(WAIT);

        assertThat(registry.requests(HttpMethod.DELETE)).hasSize(2);
        assertThat(registry.registered("SEARCH", "search@10.0.0.5")).isNull();
    }

    @Test
    void fetchesEveryInstanceAskingForJson() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of("version", "v1"));
        registry.add("SEARCH", "search-2", "127.0.0.1", 15206, "DOWN", Map.of("version", "v1"));
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());

        RegistryApplications registryNow = client.fetchAll().block(WAIT);

        assertThat(registryNow.applications()).containsOnlyKeys("search", "calc");
        assertThat(registryNow.applications().get("search")).extracting(RegistryInstance::id, RegistryInstance::status)
                .containsExactlyInAnyOrder(tuple("search-1", "UP"), tuple("search-2", "DOWN"));
        assertThat(EurekaJson.upEndpoints(registryNow.applications().get("search"))).extracting(Endpoint::instanceId)
                .containsExactly("search-1");
        assertThat(registryNow.reconcileHash()).isEqualTo("DOWN_1_UP_2_");
        assertThat(registry.requests(HttpMethod.GET).get(0).path()).isEqualTo("/eureka/apps");
        assertThat(registry.requests(HttpMethod.GET).get(0).accept()).isEqualTo("application/json");
    }

    @Test
    void fetchesTheDeltaWithWhatHappenedToEachInstance() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        registry.expireDeltas();
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "DOWN", Map.of());
        registry.remove("CALC", "calc-1");

        RegistryApplications delta = client.fetchDelta().block(WAIT);

        assertThat(delta.applications().get("search")).extracting(RegistryInstance::id, RegistryInstance::action)
                .containsExactly(tuple("search-1", RegistryInstance.Action.MODIFIED));
        assertThat(delta.applications().get("calc")).extracting(RegistryInstance::id, RegistryInstance::action)
                .containsExactly(tuple("calc-1", RegistryInstance.Action.DELETED));
        assertThat(delta.reconcileHash()).isEqualTo("DOWN_1_");
        assertThat(registry.requests(HttpMethod.GET)).extracting(FakeEurekaServer.Recorded::path).containsExactly("/eureka/apps/delta");
    }

    @Test
    void aDeltaAnswerThatIsNotJsonIsARegistryExceptionNotAnUnreachableRegistry() {
        registry.answerDeltasWithBody("{\"applications\": [");

        assertThatThrownBy(() -> client.fetchDelta().block(WAIT))
                .isInstanceOf(RegistryException.class)
                .isNotInstanceOf(RegistryUnreachableException.class)
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void fetchesOneClusterAndReadsAnUnknownOneAsEmpty() {
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());

        assertThat(client.fetchCluster("calc").block(WAIT)).extracting(Endpoint::port).containsExactly(15306);
        assertThat(client.fetchCluster("nobody").block(WAIT)).isEmpty();
        assertThat(registry.requests(HttpMethod.GET)).extracting(FakeEurekaServer.Recorded::path)
                .containsExactly("/eureka/apps/CALC", "/eureka/apps/NOBODY");
    }

    @Test
    void anErrorStatusIsARegistryExceptionNamingTheRequest() {
        registry.failWith(HttpResponseStatus.SERVICE_UNAVAILABLE);

        assertThatThrownBy(() -> client.register(SEARCH_1).block(WAIT))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("POST /apps/SEARCH answered 503");
        assertThatThrownBy(() -> client.renew(SEARCH_1).block(WAIT)).isInstanceOf(RegistryException.class);
        assertThatThrownBy(() -> client.fetchAll().block(WAIT)).isInstanceOf(RegistryException.class)
                .isNotInstanceOf(RegistryUnreachableException.class);
        assertThatThrownBy(() -> client.fetchDelta().block(WAIT))
                .isInstanceOf(RegistryException.class)
                .isNotInstanceOf(RegistryUnreachableException.class)
                .hasMessageContaining("GET /apps/delta answered 503");
    }

    @Test
    void anUnreachableRegistryIsARegistryExceptionNamingTheUrl() {
        String url = "http://127.0.0.1:" + FreePorts.closed() + "/eureka";
        EurekaRestClient unreachable = new EurekaRestClient(url, Duration.ofSeconds(1));
        try {
            assertThatThrownBy(() -> unreachable.fetchAll().block(WAIT))
                    .isInstanceOf(RegistryUnreachableException.class)
                    .hasMessageContaining("GET " + url + "/apps failed");
            assertThatThrownBy(() -> unreachable.fetchDelta().block(WAIT))
                    .isInstanceOf(RegistryUnreachableException.class)
                    .hasMessageContaining("GET " + url + "/apps/delta failed");
        } finally {
            unreachable.close();
        }
    }

    @Test
    void aRegistryThatDoesNotAnswerTimesOut() {
        EurekaRestClient impatient = new EurekaRestClient(registry.baseUrl(), Duration.ofMillis(200));
        registry.hold();
        try {
            assertThatThrownBy(() -> impatient.fetchAll().block(WAIT)).isInstanceOf(RegistryUnreachableException.class);
        } finally {
            registry.release();
            impatient.close();
        }
    }
}
