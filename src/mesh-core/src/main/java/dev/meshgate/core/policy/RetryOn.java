package dev.meshgate.core.policy;

/**
 * The failures a retry policy may try again, each one where the request has certainly not been acted
 * on by the upstream, or may be sent twice: written in the config repository in kebab case
 * ({@code connect-failure}), as Envoy's {@code retry_on} names them.
 */
public enum RetryOn {

    /** No connection to the endpoint: refused, timed out, unreachable. Nothing was sent, any method may go again. */
    CONNECT_FAILURE,
    /** An HTTP/2 stream the peer refused (REFUSED_STREAM, or beyond GOAWAY's last stream): never processed. */
    REFUSED_STREAM,
    /** The connection closed before any response byte: only replayable requests go again. */
    RESET,
    /** The endpoint answered 502, 503 or 504: only replayable requests go again, the answer is dropped. */
    GATEWAY_ERROR,
    /** No response head within the retry policy's per-try timeout (a hung endpoint): only replayable requests go again. */
    PER_TRY_TIMEOUT,
    /** The endpoint answered one of the statuses the retry policy lists: only replayable requests go again. */
    RETRIABLE_STATUS_CODES;

    /** The metrics tag: {@code connect_failure}. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
