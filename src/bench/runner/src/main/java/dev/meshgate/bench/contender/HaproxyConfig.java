package dev.meshgate.bench.contender;

/**
 * HAProxy in HTTP mode with one thread, keep-alive on both sides and idle server connections reused
 * by any client ({@code http-reuse always}), no logging.
 */
public record HaproxyConfig(int listenPort, int upstreamPort) {

    public String render() {
        return """
                global
                    nbthread 1
                    maxconn 8192

                defaults
                    mode http
                    option http-keep-alive
                    http-reuse always
                    timeout connect 5s
                    timeout client 120s
                    timeout server 120s
                    timeout http-keep-alive 120s

                frontend bench
                    bind 127.0.0.1:%d
                    default_backend bench_upstream

                backend bench_upstream
                    server upstream 127.0.0.1:%d
                """.formatted(listenPort, upstreamPort);
    }
}
