package dev.meshgate.launcher;

/**
 * A loopback port a process of the topology will listen on, who listens there, and the command-line
 * flag that moves it: what the operator needs when the port is taken.
 */
public record PortClaim(int port, String owner, String flag) {

    public PortClaim {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of " + owner + " must be between 1 and 65535, was " + port);
        }
    }
}
