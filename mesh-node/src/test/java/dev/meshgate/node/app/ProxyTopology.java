package dev.meshgate.node.app;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.node.MeshNodeProperties;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BiFunction;

/**
 * The upstreams and nodes one proxy test starts, sharing one {@link StaticServiceDirectory}.
 * Register it with {@code @RegisterExtension}: whatever was started through it is closed after each
 * test, passed or failed, so no listener outlives the test that opened it.
 */
public final class ProxyTopology implements AfterEachCallback {

    /** A node fronting an app, its own inbound listener registered as the service {@code search}. */
    public record TwoHops(RecordingUpstream app, TestNode node) {
    }

    private final StaticServiceDirectory directory = new StaticServiceDirectory();
    // closed last-started first, so a node goes before the upstreams it forwards to
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    public StaticServiceDirectory directory() {
        return directory;
    }

    /** An app named {@code app} answering {@code app <method> <uri>}. */
    public RecordingUpstream startApp() {
        return closedAfterTheTest(RecordingUpstream.start("app"));
    }

    public RecordingUpstream startApp(String name) {
        return closedAfterTheTest(RecordingUpstream.start(name));
    }

    public RecordingUpstream startApp(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        return closedAfterTheTest(RecordingUpstream.start("app", handler));
    }

    public ScriptedUpstream startScripted(ScriptedUpstream.Script script) {
        return closedAfterTheTest(ScriptedUpstream.start(script));
    }

    /** A node whose local app listens on {@code appPort}, routing outbound calls through {@link #directory()}. */
    public TestNode startNode(int appPort) {
        return closedAfterTheTest(TestNode.start(appPort, directory));
    }

    public TestNode startNode(MeshNodeProperties properties) {
        return closedAfterTheTest(TestNode.start(properties, directory));
    }

    /** A node running with {@code policy} as its policy snapshot. */
    public TestNode startNode(MeshNodeProperties properties, MeshPolicy policy) {
        return closedAfterTheTest(TestNode.start(properties, directory, policy));
    }

    /** {@link #startTwoHops(RecordingUpstream)} in front of the default {@link #startApp() app}. */
    public TwoHops startTwoHops() {
        return startTwoHops(startApp());
    }

    /**
     * A node in front of {@code app} that finds the service {@code search} at its own inbound
     * listener, so one node exercises both hops: a request for {@code search} on its outbound
     * listener goes out, comes back in, and reaches the app.
     */
    public TwoHops startTwoHops(RecordingUpstream app) {
        TestNode node = startNode(app.port());
        directory.putNodes("search", node.inboundPort());
        return new TwoHops(app, node);
    }

    private <T extends AutoCloseable> T closedAfterTheTest(T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                // keep closing: one stuck server must not leave the others' ports open
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
