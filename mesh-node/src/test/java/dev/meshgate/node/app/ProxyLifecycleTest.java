package dev.meshgate.node.app;

import dev.meshgate.node.listener.BoundListeners;
import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.PolicyStore;
import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.node.balance.BalanceConfiguration;
import dev.meshgate.node.discovery.ServiceDirectory;
import dev.meshgate.testing.FreePorts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Sinks;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ProxyLifecycleTest {

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    @Test
    void boundListenersReportTheActualPortsOnceListening() throws IOException {
        TestNode node = topology.startNode(FreePorts.closed());
        BoundListeners listeners = node.server;

        assertThat(listeners.listening()).isTrue();
        assertThat(listeners.outboundPort()).isPositive().isNotEqualTo(listeners.inboundPort());
        assertThat(listeners.inboundPort()).isPositive();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listeners.inboundPort())) {
            assertThat(socket.isConnected()).isTrue();
        }
    }

    @Test
    void portAlreadyTakenFailsStartWithAMessageNamingListenerAndAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            MeshNodeProperties properties = TestNode.properties(FreePorts.closed(), port, 0, TestNode.defaultProxy());

            assertThatThrownBy(() -> topology.startNode(properties))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("mesh-node outbound listener cannot bind 127.0.0.1:" + port + ": address already in use");
        }
    }

    @Test
    void stopRefusesNewConnectionsAndLetsTheExchangeInFlightFinish() throws Exception {
        Sinks.One<String> answer = Sinks.one();
        RecordingUpstream app = topology.startApp((request, response) -> response.sendString(answer.asMono()));
        TestNode node = topology.startNode(app.port());
        int inboundPort = node.inboundPort();
        try (RawHttpClient client = RawHttpClient.connect(inboundPort)) {
            client.send("GET /slow HTTP/1.1\r\nHost: app\r\n\r\n");
            app.nextRequest();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(node.server::stop);
            await().atMost(Duration.ofSeconds(10)).until(() -> !node.server.listening());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), inboundPort).close())
                            .isInstanceOf(ConnectException.class));
            assertThat(stopping).isNotDone();

            answer.tryEmitValue("finished");
            RawHttpClient.Response response = client.read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("finished");
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(client.closedByPeer()).isTrue();
            stopping.get(10, TimeUnit.SECONDS);
        }
        assertThat(node.server.isRunning()).isFalse();
    }

    @Test
    void springConfigurationStartsTheListenersAsALifecycleBean() {
        new ApplicationContextRunner()
                .withUserConfiguration(ProxyConfiguration.class, BalanceConfiguration.class)
                .withBean(MeshNodeProperties.class,
                        () -> TestNode.properties(FreePorts.closed(), 0, 0, TestNode.defaultProxy()))
                .withBean(ServiceDirectory.class, topology::directory)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(PolicyStore.class, () -> new PolicyStore(MeshPolicy.defaults()))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    BoundListeners listeners = context.getBean(BoundListeners.class);
                    assertThat(listeners.listening()).isTrue();
                    assertThat(listeners.outboundPort()).isPositive();
                    assertThat(context.getBean(MeterRegistry.class).find("mesh.requests").counters()).isNotEmpty();
                });
    }
}
