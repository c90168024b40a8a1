package dev.meshgate.node.discovery;

import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.node.listener.BoundListeners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

import java.time.Duration;

/**
 * Ties registration to the application's life: registers once the application is ready (every
 * listener bound, so the real ports are known), and deregisters as soon as shutdown begins, before
 * any listener stops, so peers stop choosing this node while it still answers. With
 * {@code mesh.registry.register=false} it does neither: the node only reads the registry.
 */
public final class RegistrationLifecycle {

    /** Shutdown waits at most this long for the registry to confirm the deregistration. */
    static final Duration MAX_DEREGISTRATION_WAIT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(RegistrationLifecycle.class);

    private final EurekaRegistrar registrar;
    private final RegistryStatus status;
    private final MeshNodeProperties properties;
    private final ObjectProvider<BoundListeners> listeners;
    private final ApplicationContext context;

    public RegistrationLifecycle(EurekaRegistrar registrar, RegistryStatus status, MeshNodeProperties properties,
                                 ObjectProvider<BoundListeners> listeners, ApplicationContext context) {
        this.registrar = registrar;
        this.status = status;
        this.properties = properties;
        this.listeners = listeners;
        this.context = context;
    }

    @EventListener
    public void onReady(ApplicationReadyEvent event) {
        if (event.getApplicationContext() != context || !properties.registry().register()) {
            return;
        }
        BoundListeners bound = listeners.getIfAvailable();
        if (bound == null || !bound.listening()) {
            // Registering a node that does not accept would send peers' traffic into a refused connection.
            IllegalStateException notListening = new IllegalStateException("the listeners are not accepting; not registering");
            status.registrationFailed(notListening);
            log.error("Not registering with the registry: {}", notListening.getMessage());
            return;
        }
        try {
            registrar.start(registration(bound, adminPort()));
        } catch (RuntimeException e) {
            // A failure here would end the application from a ready-event listener; the node serves without registering.
            status.registrationFailed(e);
            log.error("Not registering with the registry: {}", e.getMessage());
        }
    }

    @EventListener
    public void onClosing(ContextClosedEvent event) {
        if (event.getApplicationContext() == context && properties.registry().register()) {
            registrar.stop(deregistrationWait());
        }
    }

    InstanceRegistration registration(BoundListeners bound, int adminPort) {
        MeshNodeProperties.Node node = properties.node();
        MeshNodeProperties.Registry registry = properties.registry();
        return new InstanceRegistration(node.instanceId(), node.service(), node.advertisedHost(),
                bound.inboundPort(), bound.outboundPort(), adminPort, node.version(), node.zone(),
                wholeSeconds(registry.heartbeatInterval()), wholeSeconds(registry.leaseDuration()));
    }

    private int adminPort() {
        if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            return web.getWebServer().getPort();
        }
        return context.getEnvironment().getProperty("local.server.port", Integer.class,
                context.getEnvironment().getProperty("server.port", Integer.class, 8080));
    }

    private Duration deregistrationWait() {
        Duration requestTimeout = properties.registry().requestTimeout();
        return requestTimeout.compareTo(MAX_DEREGISTRATION_WAIT) < 0 ? requestTimeout : MAX_DEREGISTRATION_WAIT;
    }

    /** The registry counts lease times in whole seconds; round up so a sub-second interval is not sent as 0. */
    private static Duration wholeSeconds(Duration duration) {
        long seconds = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
