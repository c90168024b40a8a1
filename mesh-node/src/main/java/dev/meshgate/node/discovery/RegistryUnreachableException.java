package dev.meshgate.node.discovery;

/**
 * The registry gave no answer: it could not be connected to, or the request timed out or was cut
 * off. Unlike an answer that could not be used, this says nothing about what the registry holds.
 */
public class RegistryUnreachableException extends RegistryException {

    public RegistryUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
