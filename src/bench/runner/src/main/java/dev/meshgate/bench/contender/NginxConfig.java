package dev.meshgate.bench.contender;

import java.nio.file.Path;

/**
 * nginx as the reverse proxy a user would set up in front of one upstream: one worker, keep-alive
 * connections to the upstream (HTTP/1.1, the {@code Connection} header cleared), no access log.
 * Responses up to 128 KiB are buffered in memory and never spill to temp files, so the 64 KiB body
 * measures proxying rather than disk.
 */
public record NginxConfig(Path prefix, int listenPort, int upstreamPort) {

    public String render() {
        return """
                daemon off;
                master_process on;
                worker_processes 1;
                error_log %1$s/error.log warn;
                pid %1$s/nginx.pid;

                events {
                    worker_connections 4096;
                }

                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    # clients (the load generators) keep their connections for the whole run
                    keepalive_requests 1000000;
                    keepalive_timeout 120s;

                    upstream bench_upstream {
                        server 127.0.0.1:%3$d;
                        keepalive 32;
                        keepalive_requests 1000000;
                    }

                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass http://bench_upstream;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_buffer_size 16k;
                            proxy_buffers 8 16k;
                            proxy_max_temp_file_size 0;
                        }
                    }
                }
                """.formatted(prefix.toAbsolutePath(), listenPort, upstreamPort);
    }
}
