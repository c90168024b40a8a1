package dev.meshgate.bench;

/** A step of the benchmark that cannot go on, with a message for the operator. */
public class BenchException extends RuntimeException {

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
