package dev.meshgate.node.discovery;

/** The registry could not be reached, or answered with a status or body this node cannot use. */
public class RegistryException extends RuntimeException {

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
