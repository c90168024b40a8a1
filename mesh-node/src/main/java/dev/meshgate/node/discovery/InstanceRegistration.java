package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.InstanceMetadata;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What this node tells the registry about itself: its inbound listener as the instance's address,
 * and the labels of {@link InstanceMetadata}. Built once the listeners are bound, so the ports are
 * the real ones even when configured as 0.
 */
public record InstanceRegistration(
        String instanceId,
        String service,
        String host,
        int inboundPort,
        int outboundPort,
        int adminPort,
        String version,
        String zone,
        Duration renewalInterval,
        Duration leaseDuration) {

    public InstanceRegistration {
        requireText("instanceId", instanceId);
        requireText("service", service);
        requireText("host", host);
        requirePort("inboundPort", inboundPort);
        requirePort("outboundPort", outboundPort);
        requirePort("adminPort", adminPort);
        requireText("version", version);
        requireText("zone", zone);
        if (renewalInterval == null || renewalInterval.toSeconds() < 1) {
            throw new IllegalArgumentException("renewalInterval must be at least 1s (the registry counts whole seconds), was " + renewalInterval);
        }
        if (leaseDuration == null || leaseDuration.compareTo(renewalInterval) <= 0) {
            throw new IllegalArgumentException("leaseDuration must be longer than renewalInterval " + renewalInterval + ", was " + leaseDuration);
        }
    }

    /** The registry's name for the cluster: Eureka upper-cases application names. */
    public String appName() {
        return service.toUpperCase(Locale.ROOT);
    }

    public Map<String, String> metadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(InstanceMetadata.VERSION, version);
        metadata.put(InstanceMetadata.ZONE, zone);
        metadata.put(InstanceMetadata.ADMIN_PORT, Integer.toString(adminPort));
        metadata.put(InstanceMetadata.OUTBOUND_PORT, Integer.toString(outboundPort));
        metadata.put(InstanceMetadata.MESH, "true");
        metadata.put(InstanceMetadata.PEER_LINK, InstanceMetadata.PEER_LINK_H2C);
        return metadata;
    }

    /** The admin listener's actuator, for the registry's home, status and health links. */
    public String actuatorUrl() {
        String authority = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + authority + ":" + adminPort + "/actuator";
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
        }
    }

    private static void requirePort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 1 and 65535, was " + port);
        }
    }
}
