package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Eureka's JSON wire format, read and written by hand: the Netflix client library is too heavy for a
 * sidecar, and the format has quirks a plain data binding gets wrong. A lone {@code application} or
 * {@code instance} may arrive as an object instead of a one-element array (the XStream codec), ports
 * are {@code {"$": 8080, "@enabled": "true"}}, and names are upper-cased.
 */
final class EurekaJson {

    static final String STATUS_UP = "UP";

    private static final String NO_APPLICATIONS = "registry answer has no 'applications' object";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Comparator<Endpoint> BY_INSTANCE_ID = Comparator.comparing(Endpoint::instanceId);

    private EurekaJson() {
    }

    /** The body of a registration: {@code {"instance": InstanceInfo}}. */
    static byte[] instanceInfo(InstanceRegistration registration) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode instance = root.putObject("instance");
        instance.put("instanceId", registration.instanceId());
        instance.put("app", registration.appName());
        instance.put("hostName", registration.host());
        instance.put("ipAddr", registration.host());
        instance.put("vipAddress", registration.service());
        instance.put("secureVipAddress", registration.service());
        instance.put("status", STATUS_UP);
        ObjectNode port = instance.putObject("port");
        port.put("$", registration.inboundPort());
        port.put("@enabled", "true");
        // The inbound listener is one port; a separate secure port would be advertised by a later mTLS listener.
        ObjectNode securePort = instance.putObject("securePort");
        securePort.put("$", 443);
        securePort.put("@enabled", "false");
        ObjectNode dataCenter = instance.putObject("dataCenterInfo");
        dataCenter.put("@class", "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo");
        dataCenter.put("name", "MyOwn");
        ObjectNode lease = instance.putObject("leaseInfo");
        lease.put("renewalIntervalInSecs", registration.renewalInterval().toSeconds());
        lease.put("durationInSecs", registration.leaseDuration().toSeconds());
        ObjectNode metadata = instance.putObject("metadata");
        registration.metadata().forEach(metadata::put);
        String actuator = registration.actuatorUrl();
        instance.put("homePageUrl", actuator);
        instance.put("statusPageUrl", actuator + "/info");
        instance.put("healthCheckUrl", actuator + "/health");
        return MAPPER.writeValueAsBytes(root);
    }

    /**
     * A {@code GET /apps} answer: every cluster by lower-case name with its UP endpoints, sorted by
     * instance id so an unchanged cluster compares equal across fetches. A cluster whose instances are
     * all down maps to an empty list: the registry knows it and says nobody serves it.
     */
    static Map<String, List<Endpoint>> parseApplications(InputStream json) {
        // Streamed: a registry of 10,000 instances is a ~12 MB document whose full tree does not fit a
        // sidecar's 40 MB heap. Only one application's subtree is in memory at a time.
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new RegistryException(NO_APPLICATIONS);
            }
            Map<String, List<Endpoint>> clusters = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("applications".equals(field) && value == JsonToken.START_OBJECT) {
                    clusters = readApplications(parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (clusters == null) {
                throw new RegistryException(NO_APPLICATIONS);
            }
            return Map.copyOf(clusters);
        } catch (JacksonException e) {
            throw new RegistryException("registry answered with malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, List<Endpoint>> parseApplications(byte[] json) {
        return parseApplications(new ByteArrayInputStream(json));
    }

    /** The members of the {@code applications} object; the parser is on its opening brace. */
    private static Map<String, List<Endpoint>> readApplications(JsonParser parser) {
        Map<String, List<Endpoint>> clusters = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!"application".equals(field)) {
                parser.skipChildren();
            } else if (value == JsonToken.START_OBJECT) {
                // a lone application arrives as an object, not a one-element array
                addApplication(clusters, parser.readValueAsTree());
            } else if (value == JsonToken.START_ARRAY) {
                for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                    if (element == null) {
                        throw new RegistryException("registry answer ends inside the application list");
                    }
                    if (element == JsonToken.START_OBJECT) {
                        addApplication(clusters, parser.readValueAsTree());
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        }
        return clusters;
    }

    private static void addApplication(Map<String, List<Endpoint>> clusters, JsonNode application) {
        String name = text(application, "name");
        if (name != null) {
            clusters.put(name.toLowerCase(Locale.ROOT), upEndpoints(application));
        }
    }

    /** A {@code GET /apps/{APP}} answer: the cluster's UP endpoints, sorted by instance id. */
    static List<Endpoint> parseApplication(byte[] json) {
        JsonNode application = read(json).path("application");
        if (!application.isObject()) {
            throw new RegistryException("registry answer has no 'application' object");
        }
        return upEndpoints(application);
    }

    private static JsonNode read(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new RegistryException("registry answered with malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static List<Endpoint> upEndpoints(JsonNode application) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (JsonNode instance : oneOrMany(application.path("instance"))) {
            Endpoint endpoint = upEndpoint(instance);
            if (endpoint != null) {
                endpoints.add(endpoint);
            }
        }
        endpoints.sort(BY_INSTANCE_ID);
        return List.copyOf(endpoints);
    }

    /** The instance as an endpoint, or null when it is not UP or has no usable plain port. */
    private static Endpoint upEndpoint(JsonNode instance) {
        if (!STATUS_UP.equals(text(instance, "status"))) {
            return null;
        }
        JsonNode port = instance.path("port");
        if ("false".equals(text(port, "@enabled"))) {
            return null;
        }
        int portNumber = port.isObject() ? port.path("$").asInt(-1) : port.asInt(-1);
        String host = text(instance, "hostName");
        if (host == null || host.isBlank()) {
            host = text(instance, "ipAddr");
        }
        String instanceId = text(instance, "instanceId");
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = host + ":" + portNumber;
        }
        if (host == null || host.isBlank() || portNumber < 1 || portNumber > 65535) {
            return null;
        }
        return new Endpoint(instanceId, host, portNumber, metadata(instance.path("metadata")));
    }

    private static Map<String, String> metadata(JsonNode metadata) {
        Map<String, String> values = new LinkedHashMap<>();
        if (metadata.isObject()) {
            for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
                // "@class" is the XStream codec's type marker, not a label
                if (!entry.getKey().startsWith("@") && entry.getValue().isValueNode()) {
                    values.put(entry.getKey(), entry.getValue().asString());
                }
            }
        }
        return values;
    }

    private static List<JsonNode> oneOrMany(JsonNode node) {
        if (node.isArray()) {
            List<JsonNode> elements = new ArrayList<>(node.size());
            node.forEach(elements::add);
            return elements;
        }
        return node.isObject() ? List.of(node) : List.of();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asString() : null;
    }
}
