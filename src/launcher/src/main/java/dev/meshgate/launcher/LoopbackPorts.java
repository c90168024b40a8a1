package dev.meshgate.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Free-port checks and free-port picking on the loopback interface. */
public final class LoopbackPorts {

    /** Bases are picked below Linux's ephemeral range, where outgoing connections take their ports. */
    private static final int LOWEST_BASE = 10_000;
    private static final int HIGHEST_BASE = 32_000;

    private LoopbackPorts() {
    }

    /** True when nothing listens on the port (a socket in TIME_WAIT does not count, as servers reuse it). */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Fails on the first claim whose port is taken, or on two claims of the same port, with a message
     * naming the owner and the flag that moves it.
     */
    public static void requireFree(List<PortClaim> claims) {
        Map<Integer, PortClaim> byPort = new HashMap<>();
        for (PortClaim claim : claims) {
            PortClaim earlier = byPort.putIfAbsent(claim.port(), claim);
            if (earlier != null) {
                throw new LaunchException("port " + claim.port() + " is given to both " + earlier.owner() + " and "
                        + claim.owner() + ": choose another port with " + claim.flag());
            }
        }
        for (PortClaim claim : claims) {
            if (!isFree(claim.port())) {
                throw new LaunchException("port " + claim.port() + " (" + claim.owner() + ") is already in use: "
                        + "stop what holds it or choose another port with " + claim.flag());
            }
        }
    }

    /** {@code count} distinct ports free at the moment they are returned (all held open while picking). */
    public static List<Integer> free(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports.add(socket.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new LaunchException("cannot find " + count + " free loopback ports: " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening socket we opened a moment ago does not fail in practice
                }
            }
        }
    }

    /** A base port such that {@code base + offset} is free for every offset: for layouts like the nodes'. */
    public static int freeBase(int... offsets) {
        int widest = 0;
        for (int offset : offsets) {
            widest = Math.max(widest, offset);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = random.nextInt(LOWEST_BASE, HIGHEST_BASE - widest);
            boolean allFree = true;
            for (int offset : offsets) {
                if (!isFree(base + offset)) {
                    allFree = false;
                    break;
                }
            }
            if (allFree) {
                return base;
            }
        }
        throw new LaunchException("cannot find a free range of loopback ports for offsets up to " + widest);
    }
}
