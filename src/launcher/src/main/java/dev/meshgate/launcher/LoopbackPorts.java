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

    /**
     * {@code count} distinct ports free at the moment they are returned, picked below the ephemeral
     * range: a port the kernel hands out for port 0 comes from that range, where any outgoing
     * connection (a load generator's, a proxy's to its upstream) may take it as its local port before
     * the process it was picked for binds it.
     */
    public static List<Integer> free(int count) {
        List<Integer> ports = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; ports.size() < count && attempt < 10 * count + 1_000; attempt++) {
            int port = random.nextInt(LOWEST_BASE, HIGHEST_BASE);
            if (!ports.contains(port) && isFree(port)) {
                ports.add(port);
            }
        }
        if (ports.size() < count) {
            throw new LaunchException("cannot find " + count + " free loopback ports between " + LOWEST_BASE
                    + " and " + HIGHEST_BASE);
        }
        return ports;
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
