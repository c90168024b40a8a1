package dev.meshgate.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthenticatedReactiveAuthorizationManager;
import org.springframework.security.web.server.MatcherSecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.authentication.HttpStatusServerEntryPoint;
import org.springframework.security.web.server.authorization.AuthorizationWebFilter;
import org.springframework.security.web.server.authorization.ExceptionTranslationWebFilter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Security filter chain (a WebFilter) that requires authentication for {@code /planner/**},
 * a route of the simple shape the fast path could serve: an unauthenticated request for it is
 * answered by security and never reaches the upstream. {@code /open/**} goes to the same upstream
 * without security.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mesh.config-server.url=http://127.0.0.1:1",
        "mesh.registry.url=http://127.0.0.1:1/eureka",
        "spring.config.import=file:../src/config-repo/application.yml",
        "server.address=127.0.0.1",
        "management.tracing.sampling.probability=0.0",
        "spring.cloud.gateway.server.webflux.routes[0].id=planner",
        "spring.cloud.gateway.server.webflux.routes[0].uri=lb://planner",
        "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/planner/**",
        "spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1",
        "spring.cloud.gateway.server.webflux.routes[1].id=open",
        "spring.cloud.gateway.server.webflux.routes[1].uri=lb://planner",
        "spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/open/**",
        "spring.cloud.gateway.server.webflux.routes[1].filters[0]=StripPrefix=1"})
class SecurityWebFilterTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @RegisterExtension
    static final RecordingUpstream planner = RecordingUpstream.of("planner", "planner-1");

    @LocalServerPort
    int port;

    @TestConfiguration(proxyBeanMethods = false)
    static class Security {

        @Bean
        WebFilterChainProxy springSecurityFilterChain() {
            ExceptionTranslationWebFilter unauthenticated = new ExceptionTranslationWebFilter();
            unauthenticated.setAuthenticationEntryPoint(new HttpStatusServerEntryPoint(HttpStatus.UNAUTHORIZED));
            AuthorizationWebFilter authenticated = new AuthorizationWebFilter(
                    AuthenticatedReactiveAuthorizationManager.authenticated());
            return new WebFilterChainProxy(new MatcherSecurityWebFilterChain(
                    ServerWebExchangeMatchers.pathMatchers("/planner/**"), List.of(unauthenticated, authenticated)));
        }
    }

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        planner.register(registry);
    }

    @Test
    void anUnauthenticatedRequestForASecuredRouteNeverReachesTheUpstream() throws Exception {
        HttpResponse<String> secured = get("/planner/plans/42");
        HttpResponse<String> open = get("/open/plans/43");

        assertThat(secured.statusCode()).isEqualTo(401);
        assertThat(open.statusCode()).isEqualTo(200);
        // the upstream's first request is the open one: the secured one was never forwarded
        assertThat(planner.next().uri()).isEqualTo("/plans/43");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
