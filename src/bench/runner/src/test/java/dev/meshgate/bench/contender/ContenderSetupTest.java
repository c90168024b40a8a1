package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the shared contender code gives each contender: the ids the report keys its tables on, which
 * variants get the full matrix, the proxies' command lines and where generated files go.
 */
class ContenderSetupTest {

    @Test
    void gatewaysKeepTheirIdsAndOnlyTheOneRouteVariantGetsTheFullMatrix() {
        List<Contender> gateways = List.of(new GatewayContender(1, List.of()), new PlainGatewayContender(1, List.of()),
                new GatewayContender(10_000, List.of()), new PlainGatewayContender(10_000, List.of()));

        assertThat(gateways).extracting(Contender::id)
                .containsExactly("gateway", "plain-scg", "gateway-10000-routes", "plain-scg-10000-routes");
        assertThat(gateways).extracting(Contender::fullMatrix).containsExactly(true, true, false, false);
        assertThat(gateways).allMatch(Contender::jvm);
        assertThat(gateways.get(3).title()).contains("10000 routes");
    }

    @Test
    void nginxRunsOnItsConfigWithEveryFileInsideItsDirectory(@TempDir Path run) {
        NginxContender nginx = NginxContender.single("/usr/sbin/nginx");
        Path directory = run.resolve("nginx");

        assertThat(nginx.id()).isEqualTo("nginx");
        assertThat(nginx.jvm()).isFalse();
        assertThat(nginx.command("/usr/sbin/nginx", directory, directory.resolve("nginx.conf"))).containsExactly(
                "/usr/sbin/nginx", "-e", directory.resolve("error.log").toString(), "-p", directory.toString(),
                "-c", directory.resolve("nginx.conf").toString());
        assertThat(nginx.config(directory, 18080, 19101)).isEqualTo(new NginxConfig(directory, 18080, 19101).render());
    }

    @Test
    void anNginxPairIsItsOwnContenderWithTheSameConfigAndCommandPerProxy(@TempDir Path run) {
        NginxContender pair = NginxContender.pair("/usr/sbin/nginx");
        Path directory = run.resolve("nginx-pair/a");

        assertThat(pair.id()).isEqualTo("nginx-pair");
        assertThat(pair.title()).contains("nginx → nginx → app");
        assertThat(pair.jvm()).isFalse();
        assertThat(pair.fullMatrix()).isTrue();
        assertThat(pair.config(directory, 18080, 18081)).isEqualTo(new NginxConfig(directory, 18080, 18081).render());
        assertThat(pair.command("/usr/sbin/nginx", directory, directory.resolve("nginx.conf")))
                .isEqualTo(NginxContender.single("/usr/sbin/nginx").command("/usr/sbin/nginx", directory, directory.resolve("nginx.conf")));
    }

    @Test
    void haproxyRunsInTheForegroundOnItsConfig(@TempDir Path run) {
        HaproxyContender haproxy = new HaproxyContender("/usr/sbin/haproxy");
        Path config = run.resolve("haproxy/haproxy.cfg");

        assertThat(haproxy.id()).isEqualTo("haproxy");
        assertThat(haproxy.jvm()).isFalse();
        assertThat(haproxy.command("/usr/sbin/haproxy", config.getParent(), config))
                .containsExactly("/usr/sbin/haproxy", "-db", "-f", config.toString());
        assertThat(haproxy.config(config.getParent(), 18081, 19101)).isEqualTo(new HaproxyConfig(18081, 19101).render());
    }

    @Test
    void aRouteTableIsWrittenUnderTheRunDirectoryAndAddedAsConfiguration(@TempDir Path home) throws Exception {
        BenchContext context = new BenchContext(home, home.resolve("run"), null, Path.of("java"), 1, 2, 3, Duration.ofSeconds(1));
        GatewayRoutes routes = GatewayRoutes.single("/bench", "http://127.0.0.1:19101");

        String argument = RouteFiles.write(context, "gateway", routes);

        Path file = home.resolve("run/routes/gateway.yml");
        assertThat(argument).isEqualTo("--spring.config.additional-location=file:" + file);
        assertThat(Files.readString(file)).isEqualTo(routes.toYaml());
    }
}
