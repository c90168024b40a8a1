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
import static org.assertj.core.api.Assertions.tuple;

class EurekaJsonTest {

    @Test
    void readsEveryClusterOfARealRegistryAnswerWithLowerCaseNames() {
        Map<String, List<Endpoint>> clusters = upClusters(EurekaJson.parseApplications(fixture("apps-two-clusters.json")));

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
        Map<String, List<Endpoint>> clusters = upClusters(EurekaJson.parseApplications(fixture("apps-single-object.json")));

        assertThat(clusters).containsOnlyKeys("calc");
        assertThat(clusters.get("calc")).extracting(Endpoint::instanceId).containsExactly("calc-1");
    }

    @Test
    void routesOnlyToInstancesThatAreUpAndKnowsClustersWithNone() {
        Map<String, List<Endpoint>> clusters = upClusters(EurekaJson.parseApplications(fixture("apps-mixed-status.json")));

        assertThat(clusters.get("search")).extracting(Endpoint::instanceId).containsExactly("search-1", "search-2");
        assertThat(clusters).containsEntry("legacy", List.of());
    }

    @Test
    void listsEveryInstanceWhateverItsStatusWithTheRegistrysHash() {
        RegistryApplications answer = EurekaJson.parseApplications(fixture("apps-mixed-status.json"));

        assertThat(answer.reconcileHash()).isEqualTo("DOWN_1_OUT_OF_SERVICE_1_STARTING_1_UP_2_");
        assertThat(answer.applications().values()).flatMap(instances -> instances)
                .extracting(RegistryInstance::status)
                .containsExactlyInAnyOrder("UP", "UP", "STARTING", "DOWN", "OUT_OF_SERVICE");
        assertThat(answer.applications().values()).flatMap(instances -> instances)
                .filteredOn(instance -> !instance.status().equals("UP"))
                .extracting(RegistryInstance::endpoint)
                .containsOnlyNulls();
    }

    @Test
    void readsStatusesTheWayEurekaDoes() {
        assertThat(EurekaJson.status("UP")).isEqualTo("UP");
        assertThat(EurekaJson.status("out_of_service")).isEqualTo("OUT_OF_SERVICE");
        assertThat(EurekaJson.status("RESTARTING")).isEqualTo("UNKNOWN");
        assertThat(EurekaJson.status(null)).isEqualTo("UNKNOWN");
    }

    @Test
    void readsAnEmptyRegistry() {
        RegistryApplications answer = EurekaJson.parseApplications(
                "{\"applications\":{\"versions__delta\":\"1\",\"apps__hashcode\":\"\",\"application\":[]}}".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.applications()).isEmpty();
        assertThat(answer.reconcileHash()).isEmpty();
    }

    @Test
    void readsADeltaWithWhatHappenedToEachInstance() {
        String json = """
                {"applications": {"versions__delta": "7", "apps__hashcode": "DOWN_1_UP_3_", "application": [
                  {"name": "SEARCH", "instance": [
                    {"instanceId": "search-3", "hostName": "h3", "status": "UP", "port": {"$": 8083, "@enabled": "true"},
                     "actionType": "ADDED"},
                    {"instanceId": "search-2", "hostName": "h2", "status": "DOWN", "port": {"$": 8082, "@enabled": "true"},
                     "actionType": "MODIFIED"}]},
                  {"name": "CALC", "instance":
                    {"instanceId": "calc-1", "hostName": "h1", "status": "UP", "port": 8081, "actionType": "DELETED"}},
                  {"name": "PAY", "instance": [
                    {"instanceId": "pay-1", "hostName": "h1", "status": "UP", "port": 8081, "actionType": "RENAMED"}]}
                ]}}""";

        RegistryApplications delta = EurekaJson.parseApplications(json.getBytes(StandardCharsets.UTF_8));

        assertThat(delta.reconcileHash()).isEqualTo("DOWN_1_UP_3_");
        assertThat(delta.applications().get("search"))
                .extracting(RegistryInstance::id, RegistryInstance::status, RegistryInstance::action)
                .containsExactly(tuple("search-3", "UP", RegistryInstance.Action.ADDED),
                        tuple("search-2", "DOWN", RegistryInstance.Action.MODIFIED));
        assertThat(delta.applications().get("calc")).singleElement()
                .extracting(RegistryInstance::action).isEqualTo(RegistryInstance.Action.DELETED);
        assertThat(delta.applications().get("pay")).singleElement().extracting(RegistryInstance::action).isNull();
    }

    @Test
    void anAnswerWithoutAHashReadsAsNull() {
        assertThat(EurekaJson.parseApplications("{\"applications\":{\"application\":[]}}".getBytes(StandardCharsets.UTF_8))
                .reconcileHash()).isNull();
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

    static Map<String, List<Endpoint>> upClusters(RegistryApplications answer) {
        Map<String, List<Endpoint>> clusters = new java.util.HashMap<>();
        answer.applications().forEach((name, instances) -> clusters.put(name, EurekaJson.upEndpoints(instances)));
        return clusters;
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

        RegistryApplications answer = EurekaJson.parseApplications(
                new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)));
        Map<String, List<Endpoint>> clusters = upClusters(answer);

        assertThat(answer.reconcileHash()).isEqualTo("UP_10000_");
        assertThat(clusters).hasSize(10_000);
        assertThat(clusters.get("svc-9999")).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.instanceId()).isEqualTo("svc-9999-1");
            assertThat(endpoint.port()).isEqualTo(19_999);
        });
    }

    @Test
    void streamsALargeDeltaOneApplicationAtATime() {
        GeneratedDelta delta = new GeneratedDelta(10_000);
        long[] readWhenFirstApplicationArrived = {-1};
        Map<String, Integer> changes = new java.util.HashMap<>();

        String reconcileHash = EurekaJson.readApplications(delta, (name, instances) -> {
            if (readWhenFirstApplicationArrived[0] < 0) {
                readWhenFirstApplicationArrived[0] = delta.bytesRead;
            }
            assertThat(instances).singleElement().extracting(RegistryInstance::action).isEqualTo(RegistryInstance.Action.MODIFIED);
            changes.put(name, instances.size());
        });

        // ~10 MB went through, but the first application was handed over after the parser's first buffers
        assertThat(delta.bytesRead).isGreaterThan(10_000_000L);
        assertThat(readWhenFirstApplicationArrived[0]).isBetween(1L, 64L * 1024);
        assertThat(changes).hasSize(10_000).containsKeys("svc-0", "svc-9999");
        assertThat(reconcileHash).isEqualTo("DOWN_10_UP_9990_");
        assertThat(delta.closed).isTrue();
    }

    /**
     * A delta answer of this many applications (~1 KB each, like a real instance), generated as it
     * is read: neither the test nor the parser ever holds the whole document.
     */
    private static final class GeneratedDelta extends InputStream {

        private final int applications;
        private int nextApplication = -1;
        private byte[] chunk = new byte[0];
        private int position;
        long bytesRead;
        boolean closed;

        GeneratedDelta(int applications) {
            this.applications = applications;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position == chunk.length && !nextChunk()) {
                return -1;
            }
            int count = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, buffer, offset, count);
            position += count;
            bytesRead += count;
            return count;
        }

        @Override
        public void close() {
            closed = true;
        }

        private boolean nextChunk() {
            String text;
            if (nextApplication == -1) {
                text = "{\"applications\": {\"versions__delta\": \"9\", \"application\": [";
            } else if (nextApplication < applications) {
                int i = nextApplication;
                text = (i == 0 ? "" : ",") + "{\"name\": \"SVC-" + i + "\", \"instance\": [{\"instanceId\": \"svc-" + i
                        + "-1\", \"hostName\": \"10.0.0.1\", \"app\": \"SVC-" + i + "\", \"ipAddr\": \"10.0.0.1\", \"status\": \""
                        + (i % 1000 == 0 ? "DOWN" : "UP") + "\", \"overriddenStatus\": \"UNKNOWN\", "
                        + "\"port\": {\"$\": " + (10_000 + i) + ", \"@enabled\": \"true\"}, "
                        + "\"securePort\": {\"$\": 443, \"@enabled\": \"false\"}, \"countryId\": 1, "
                        + "\"dataCenterInfo\": {\"@class\": \"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo\", \"name\": \"MyOwn\"}, "
                        + "\"leaseInfo\": {\"renewalIntervalInSecs\": 5, \"durationInSecs\": 30, \"registrationTimestamp\": 1700000000000, "
                        + "\"lastRenewalTimestamp\": 1700000005000, \"evictionTimestamp\": 0, \"serviceUpTimestamp\": 1700000000000}, "
                        + "\"metadata\": {\"version\": \"v1\", \"zone\": \"local\", \"mesh\": \"true\", \"admin-port\": \"15100\", "
                        + "\"outbound-port\": \"15101\"}, \"homePageUrl\": \"http://10.0.0.1:15100/actuator\", "
                        + "\"statusPageUrl\": \"http://10.0.0.1:15100/actuator/info\", "
                        + "\"healthCheckUrl\": \"http://10.0.0.1:15100/actuator/health\", \"vipAddress\": \"svc-" + i + "\", "
                        + "\"secureVipAddress\": \"svc-" + i + "\", \"isCoordinatingDiscoveryServer\": \"false\", "
                        + "\"lastUpdatedTimestamp\": \"1700000000000\", \"lastDirtyTimestamp\": \"1700000000000\", "
                        + "\"actionType\": \"MODIFIED\"}]}";
            } else if (nextApplication == applications) {
                // the hash after the list, so it can only be read once every application went through
                text = "], \"apps__hashcode\": \"DOWN_10_UP_9990_\"}}";
            } else {
                return false;
            }
            nextApplication++;
            chunk = text.getBytes(StandardCharsets.UTF_8);
            position = 0;
            return true;
        }
    }
}
