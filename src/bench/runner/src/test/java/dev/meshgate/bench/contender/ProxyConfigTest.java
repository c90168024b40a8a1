package dev.meshgate.bench.contender;

import dev.meshgate.bench.RequiredPrograms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated configs say what the report claims, and the real programs accept them where installed. */
class ProxyConfigTest {

    @Test
    void nginxKeepsUpstreamConnectionsAliveWithOneWorker(@TempDir Path prefix) {
        String conf = new NginxConfig(prefix, 18080, 19101).render();

        assertThat(conf).contains("worker_processes 1;", "daemon off;", "listen 127.0.0.1:18080;",
                "server 127.0.0.1:19101;", "keepalive 32;", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";",
                "access_log off;", "proxy_max_temp_file_size 0;");
    }

    @Test
    void haproxyRunsOneThreadAndReusesServerConnections() {
        String cfg = new HaproxyConfig(18081, 19101).render();

        assertThat(cfg).contains("nbthread 1", "http-reuse always", "bind 127.0.0.1:18081", "server upstream 127.0.0.1:19101");
    }

    @Test
    void nginxAcceptsTheGeneratedConfig(@TempDir Path prefix) throws Exception {
        Optional<Path> nginx = installed("nginx");
        RequiredPrograms.assumeInstalled(nginx.isPresent(), "nginx is not installed (apt-get install -y nginx)");
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, new NginxConfig(prefix, 18080, 19101).render());

        Result check = run(nginx.get().toString(), "-t", "-e", prefix.resolve("error.log").toString(),
                "-p", prefix.toString(), "-c", conf.toString());

        assertThat(check.output()).contains("syntax is ok");
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void haproxyAcceptsTheGeneratedConfig(@TempDir Path dir) throws Exception {
        Optional<Path> haproxy = installed("haproxy");
        RequiredPrograms.assumeInstalled(haproxy.isPresent(), "haproxy is not installed (apt-get install -y haproxy)");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, new HaproxyConfig(18081, 19101).render());

        Result check = run(haproxy.get().toString(), "-c", "-f", cfg.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static Optional<Path> installed(String program) {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/sbin", "/sbin"))
                .filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
    }
}
