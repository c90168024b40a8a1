package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EurekaJsonTest {

    @Test
    void readsEveryClusterOfARealRegistryAnswerWithLowerCaseNames() {
        Map<String, List<Endpoint>> clusters = EurekaJson.parseApplications(fixture("apps-two-clusters.json"));

        assertThat(clusters).containsOnlyKeys("search", "calc");
        assertThat(clusters.get("search")).extracting(Endpoint::instanceId).containsExactly("search-1", "search-2");
        Endpoint search1 = clusters.get("search").get(0);
        assertThat(search1.host()).isEqualTo("127.0.0.1");
        assertThat(search1.port()).isEqualTo(15106);
        assertThat(search1.version()).isEqualTo("v1");
        assertThat(search1.zone()).isEqualTo("local");
        assertThat(search1.metadata()).containsEntry("admin-port", "15100").containsEntry("mesh", "true");
        assertThat(clusters.get("calc")).extracting(Endpoint::authority).containsExactly("127.0.0.1:15306");
    }

    @Test
    void acceptsALoneApplicationAndALoneInstanceWrittenAsObjects() {
        Map<String, List<Endpoint>> clusters = EurekaJson.parseApplications(fixture("apps-single-object.json"));

        assertThat(clusters).containsOnlyKeys("calc");
        assertThat(clusters.get("calc")).extracting(Endpoint::instanceId).containsExactly("calc-1");
    }

    @Test
    void keepsOnlyInstancesThatAreUpAndKnowsClustersWithNone() {
        Map<String, List<Endpoint>> clusters = EurekaJson.parseApplications(fixture("apps-mixed-status.json"));

        assertThat(clusters.get("search")).extracting(Endpoint::instanceId).containsExactly("search-1", "search-2");
        assertThat(clusters).containsEntry("legacy", List.of());
    }

    @Test
    void readsAnEmptyRegistry() {
        assertThat(EurekaJson.parseApplications(
                "{\"applications\":{\"versions__delta\":\"1\",\"apps__hashcode\":\"\",\"application\":[]}}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @Test
    void readsOneApplication() {
        assertThat(EurekaJson.parseApplication(fixture("app-calc.json")))
                .extracting(Endpoint::instanceId, Endpoint::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("calc-1", 15306));
    }

    @Test
    void skipsInstancesWithoutAUsablePortAndFallsBackToTheAddress() {
        String json = """
                {"application": {"name": "PAY", "instance": [
                  {"instanceId": "pay-1", "ipAddr": "10.0.0.7", "status": "UP", "port": {"$": "8081", "@enabled": "true"}},
                  {"instanceId": "pay-2", "hostName": "h2", "status": "UP", "port": {"$": 8082, "@enabled": "false"}},
                  {"instanceId": "pay-3", "hostName": "h3", "status": "UP"},
                  {"instanceId": "pay-4", "hostName": "h4", "status": "UP", "port": 8084,
                   "metadata": {"@class": "java.util.Collections$EmptyMap"}}
                ]}}""";

        List<Endpoint> endpoints = EurekaJson.parseApplication(json.getBytes(StandardCharsets.UTF_8));

        assertThat(endpoints).extracting(Endpoint::authority).containsExactly("10.0.0.7:8081", "h4:8084");
        assertThat(endpoints.get(1).metadata()).isEmpty();
    }

    @Test
    void rejectsMalformedAnswersWithARegistryException() {
        assertThatThrownBy(() -> EurekaJson.parseApplications("{\"applications\": [".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> EurekaJson.parseApplications("{\"error\": \"nope\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("'applications'");
    }

    @Test
    void writesTheInstanceInfoTheRegistryExpects() {
        InstanceRegistration registration = new InstanceRegistration("search-1", "search", "127.0.0.1",
                15106, 15101, 15100, "v2", "zone-a", Duration.ofSeconds(5), Duration.ofSeconds(30));

        JsonNode instance = JsonMapper.builder().build().readTree(EurekaJson.instanceInfo(registration)).path("instance");

        assertThat(instance.path("instanceId").asString()).isEqualTo("search-1");
        assertThat(instance.path("app").asString()).isEqualTo("SEARCH");
        assertThat(instance.path("hostName").asString()).isEqualTo("127.0.0.1");
        assertThat(instance.path("ipAddr").asString()).isEqualTo("127.0.0.1");
        assertThat(instance.path("vipAddress").asString()).isEqualTo("search");
        assertThat(instance.path("status").asString()).isEqualTo("UP");
        assertThat(instance.path("port").path("$").asInt()).isEqualTo(15106);
        assertThat(instance.path("port").path("@enabled").asString()).isEqualTo("true");
        assertThat(instance.path("securePort").path("@enabled").asString()).isEqualTo("false");
        assertThat(instance.path("dataCenterInfo").path("@class").asString())
                .isEqualTo("com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo");
        assertThat(instance.path("dataCenterInfo").path("name").asString()).isEqualTo("MyOwn");
        assertThat(instance.path("leaseInfo").path("renewalIntervalInSecs").asInt()).isEqualTo(5);
        assertThat(instance.path("leaseInfo").path("durationInSecs").asInt()).isEqualTo(30);
        assertThat(instance.path("metadata").path("version").asString()).isEqualTo("v2");
        assertThat(instance.path("metadata").path("zone").asString()).isEqualTo("zone-a");
        assertThat(instance.path("metadata").path("admin-port").asString()).isEqualTo("15100");
        assertThat(instance.path("metadata").path("outbound-port").asString()).isEqualTo("15101");
        assertThat(instance.path("metadata").path("mesh").asString()).isEqualTo("true");
        assertThat(instance.path("healthCheckUrl").asString()).isEqualTo("http://127.0.0.1:15100/actuator/health");
        assertThat(instance.path("statusPageUrl").asString()).isEqualTo("http://127.0.0.1:15100/actuator/info");
        assertThat(instance.path("homePageUrl").asString()).isEqualTo("http://127.0.0.1:15100/actuator");
    }

    @Test
    void whatItWritesItReadsBack() {
        InstanceRegistration registration = new InstanceRegistration("calc-1", "calc", "node.example",
                15306, 15301, 15300, "v1", "local", Duration.ofSeconds(5), Duration.ofSeconds(30));
        String asApplication = "{\"application\":{\"name\":\"CALC\",\"instance\":"
                + JsonMapper.builder().build().readTree(EurekaJson.instanceInfo(registration)).path("instance") + "}}";

        List<Endpoint> endpoints = EurekaJson.parseApplication(asApplication.getBytes(StandardCharsets.UTF_8));

        assertThat(endpoints).containsExactly(new Endpoint("calc-1", "node.example", 15306, registration.metadata()));
    }

    static byte[] fixture(String name) {
        try (InputStream in = EurekaJsonTest.class.getResourceAsStream("/eureka/" + name)) {
            assertThat(in).as("fixture " + name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void streamsALargeRegistryAndSkipsWhatItDoesNotKnow() {
        StringBuilder json = new StringBuilder("{\"applications\": {\"versions__delta\": \"1\", \"application\": [");
        for (int i = 0; i < 10_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\": \"SVC-").append(i).append("\", \"instance\": [{")
                    .append("\"instanceId\": \"svc-").append(i).append("-1\", \"ipAddr\": \"10.0.0.1\", \"status\": \"UP\", ")
                    .append("\"port\": {\"$\": ").append(10_000 + i % 50_000).append(", \"@enabled\": \"true\"}, ")
                    .append("\"metadata\": {\"version\": \"v1\"}}]}");
        }
        json.append(", 42, \"not an application\"], \"apps__hashcode\": \"UP_10000_\"}, \"trailing\": [1, {\"x\": 2}]}");

        Map<String, List<Endpoint>> clusters = EurekaJson.parseApplications(
                new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)));

        assertThat(clusters).hasSize(10_000);
        assertThat(clusters.get("svc-9999")).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.instanceId()).isEqualTo("svc-9999-1");
            assertThat(endpoint.port()).isEqualTo(19_999);
        });
    }
}
