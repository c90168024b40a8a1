package dev.meshgate.launcher;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoopbackPortsTest {

    @Test
    void aTakenPortIsReportedWithItsOwnerAndTheFlagThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(LoopbackPorts.isFree(port)).isFalse();
            assertThatThrownBy(() -> LoopbackPorts.requireFree(List.of(new PortClaim(port, "gateway", "--gateway-port"))))
                    .isInstanceOf(LaunchException.class)
                    .hasMessage("port " + port + " (gateway) is already in use: stop what holds it or choose another port with --gateway-port");
        }
    }

    @Test
    void twoClaimsOnOnePortAreRejectedBeforeAnythingBinds() {
        int port = LoopbackPorts.free(1).get(0);
        assertThatThrownBy(() -> LoopbackPorts.requireFree(List.of(
                new PortClaim(port, "gateway", "--gateway-port"), new PortClaim(port, "registry", "--registry-port"))))
                .hasMessage("port " + port + " is given to both gateway and registry: choose another port with --registry-port");
    }

    @Test
    void freePortsAreFreeAndDistinct() {
        List<Integer> ports = LoopbackPorts.free(5);
        assertThat(ports).doesNotHaveDuplicates().hasSize(5).allSatisfy(port -> assertThat(LoopbackPorts.isFree(port)).isTrue());
    }

    @Test
    void aFreeBaseLeavesEveryOffsetFree() {
        int base = LoopbackPorts.freeBase(0, 1, 6, 100, 306);
        assertThat(List.of(0, 1, 6, 100, 306)).allSatisfy(offset -> assertThat(LoopbackPorts.isFree(base + offset)).isTrue());
    }
}
