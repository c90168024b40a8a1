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
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Eureka's JSON wire format, read and written by hand: the Netflix client library is too heavy for a
 * sidecar, and the format has quirks a plain data binding gets wrong. A lone {@code application} or
 * {@code instance} may arrive as an object instead of a one-element array (the XStream codec), ports
 * are {@code {"$": 8080, "@enabled": "true"}}, and names are upper-cased.
 */
final class EurekaJson {

    static final String STATUS_UP = "UP";
    static final String STATUS_UNKNOWN = "UNKNOWN";
    /** Eureka's {@code InstanceStatus} names. */
    private static final List<String> STATUSES = List.of(STATUS_UP, "DOWN", "STARTING", "OUT_OF_SERVICE", STATUS_UNKNOWN);

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
     * A {@code GET /apps} or {@code GET /apps/delta} answer: every instance listed, whatever its
     * status, by lower-case application name, and the registry's reconcile hash.
     */
    static RegistryApplications parseApplications(InputStream json) {
        Map<String, List<RegistryInstance>> applications = new LinkedHashMap<>();
        String reconcileHash = readApplications(json, applications::put);
        return new RegistryApplications(Collections.unmodifiableMap(applications), reconcileHash);
    }

    static RegistryApplications parseApplications(byte[] json) {
        return parseApplications(new ByteArrayInputStream(json));
    }

    /**
     * Reads a {@code GET /apps} or {@code GET /apps/delta} answer as a stream, handing each
     * application's instances to the sink as soon as it is read; returns the answer's
     * {@code apps__hashcode}, null when it has none. The stream is closed before this returns.
     */
    static String readApplications(InputStream json, BiConsumer<String, List<RegistryInstance>> sink) {
        // Streamed: a registry of 10,000 instances is a ~12 MB document whose full tree does not fit a
        // sidecar's 48 MB heap. Only one application's subtree is in memory at a time.
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new RegistryException(NO_APPLICATIONS);
            }
            boolean sawApplications = false;
            String reconcileHash = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("applications".equals(field) && value == JsonToken.START_OBJECT) {
                    sawApplications = true;
                    reconcileHash = readApplications(parser, sink);
                } else {
                    parser.skipChildren();
                }
            }
            if (!sawApplications) {
                throw new RegistryException(NO_APPLICATIONS);
            }
            return reconcileHash;
        } catch (JacksonException e) {
            throw new RegistryException("registry answered with malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The members of the {@code applications} object, the parser on its opening brace; returns the hash. */
    private static String readApplications(JsonParser parser, BiConsumer<String, List<RegistryInstance>> sink) {
        String reconcileHash = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("apps__hashcode".equals(field) && value == JsonToken.VALUE_STRING) {
                reconcileHash = parser.getString();
            } else if (!"application".equals(field)) {
                parser.skipChildren();
            } else if (value == JsonToken.START_OBJECT) {
                // a lone application arrives as an object, not a one-element array
                readApplication(parser.readValueAsTree(), sink);
            } else if (value == JsonToken.START_ARRAY) {
                for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                    if (element == null) {
                        throw new RegistryException("registry answer ends inside the application list");
                    }
                    if (element == JsonToken.START_OBJECT) {
                        readApplication(parser.readValueAsTree(), sink);
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        }
        return reconcileHash;
    }

    private static void readApplication(JsonNode application, BiConsumer<String, List<RegistryInstance>> sink) {
        String name = text(application, "name");
        if (name != null) {
            sink.accept(name.toLowerCase(Locale.ROOT), instances(application));
        }
    }

    /** A {@code GET /apps/{APP}} answer: the cluster's UP endpoints, sorted by instance id. */
    static List<Endpoint> parseApplication(byte[] json) {
        JsonNode application = read(json).path("application");
        if (!application.isObject()) {
            throw new RegistryException("registry answer has no 'application' object");
        }
        return upEndpoints(instances(application));
    }

    /** The endpoints of the instances that are UP with a usable port, sorted by instance id. */
    static List<Endpoint> upEndpoints(Collection<RegistryInstance> instances) {
        List<Endpoint> endpoints = new ArrayList<>(instances.size());
        for (RegistryInstance instance : instances) {
            if (instance.endpoint() != null) {
                endpoints.add(instance.endpoint());
            }
        }
        endpoints.sort(BY_INSTANCE_ID);
        return List.copyOf(endpoints);
    }

    /**
     * Eureka's status name for what an answer says, read the way its {@code InstanceStatus.toEnum}
     * reads it: case-insensitive, anything else (or nothing) is {@code UNKNOWN}. The names returned
     * are shared constants, so the instances of a large registry do not each hold a copy.
     */
    static String status(String text) {
        for (String status : STATUSES) {
            if (status.equalsIgnoreCase(text)) {
                return status;
            }
        }
        return STATUS_UNKNOWN;
    }

    private static JsonNode read(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new RegistryException("registry answered with malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static List<RegistryInstance> instances(JsonNode application) {
        List<JsonNode> listed = oneOrMany(application.path("instance"));
        List<RegistryInstance> instances = new ArrayList<>(listed.size());
        for (JsonNode instance : listed) {
            instances.add(instance(instance));
        }
        return instances;
    }

    /** Every listed instance counts in the reconcile hash, so one without a usable port is kept, without endpoint. */
    private static RegistryInstance instance(JsonNode instance) {
        String status = status(text(instance, "status"));
        JsonNode port = instance.path("port");
        int portNumber = port.isObject() ? port.path("$").asInt(-1) : port.asInt(-1);
        String host = text(instance, "hostName");
        if (host == null || host.isBlank()) {
            host = text(instance, "ipAddr");
        }
        String instanceId = text(instance, "instanceId");
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = host + ":" + portNumber;
        }
        boolean usable = STATUS_UP.equals(status)
                && !"false".equals(text(port, "@enabled"))
                && host != null && !host.isBlank()
                && portNumber >= 1 && portNumber <= 65535;
        // Readiness: only UP is ready, and only a ready instance gets an endpoint. STARTING,
        // OUT_OF_SERVICE, DOWN and UNKNOWN stay in the local registry (the reconcile hash counts them)
        // but out of endpoint sets, so they get no traffic as before; carrying them as not-ready would
        // rebuild a cluster's set on every status change of an instance no balancer may pick anyway.
        Endpoint endpoint = usable ? new Endpoint(instanceId, host, portNumber, metadata(instance.path("metadata")), true) : null;
        return new RegistryInstance(instanceId, status, action(text(instance, "actionType")), endpoint);
    }

    private static RegistryInstance.Action action(String actionType) {
        for (RegistryInstance.Action action : RegistryInstance.Action.values()) {
            if (action.name().equals(actionType)) {
                return action;
            }
        }
        return null;
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
