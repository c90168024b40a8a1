package dev.meshgate.launcher;

/**
 * The topology cannot start or be driven, for a reason the operator can act on. The message says
 * what and what to do; the command line prints it without a stack trace.
 */
public final class LaunchException extends RuntimeException {

    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
