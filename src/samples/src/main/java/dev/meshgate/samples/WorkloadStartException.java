package dev.meshgate.samples;

/** A workload could not start; the message is meant for the operator as it is. */
public final class WorkloadStartException extends RuntimeException {
    public WorkloadStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
