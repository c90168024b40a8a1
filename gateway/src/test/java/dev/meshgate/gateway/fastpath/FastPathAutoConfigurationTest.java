package dev.meshgate.gateway.fastpath;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.authorization.AuthenticatedReactiveAuthorizationManager;
import org.springframework.security.web.server.MatcherSecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.authorization.AuthorizationWebFilter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.filter.reactive.HiddenHttpMethodFilter;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FastPathAutoConfigurationTest {

    @Test
    void staysOnWithGatewaysOwnFiltersOnly() {
        assertThat(FastPathAutoConfiguration.foreignFilters(List.of(new RouteToRequestUrlFilter()))).isNull();
        assertThat(FastPathAutoConfiguration.unsupported(new MockEnvironment())).isNull();
    }

    @Test
    void isOffWhenTheApplicationFiltersEveryRequest() {
        GlobalFilter own = (exchange, chain) -> chain.filter(exchange);

        assertThat(FastPathAutoConfiguration.foreignFilters(List.of(new RouteToRequestUrlFilter(), own)))
                .contains("bypass").contains(own.getClass().getName());
    }

    @Test
    void isOffWhenSpringSecurityFiltersEveryRequest() {
        WebFilterChainProxy security = new WebFilterChainProxy(new MatcherSecurityWebFilterChain(
                ServerWebExchangeMatchers.anyExchange(), List.of(new AuthorizationWebFilter(
                        AuthenticatedReactiveAuthorizationManager.authenticated()))));

        assertThat(FastPathAutoConfiguration.foreignFilters(List.of(new RouteToRequestUrlFilter(), security)))
                .contains(WebFilterChainProxy.class.getName());
    }

    @Test
    void isOffWithASpringFilterItDoesNotKnowOrASubclassOfOneItDoes() {
        // Spring's own, and it changes what Gateway routes (POST with _method=DELETE becomes a DELETE)
        HiddenHttpMethodFilter hiddenMethod = new HiddenHttpMethodFilter();
        GlobalFilter subclass = new RouteToRequestUrlFilter() {
        };

        assertThat(FastPathAutoConfiguration.foreignFilters(List.of(hiddenMethod)))
                .contains(HiddenHttpMethodFilter.class.getName());
        assertThat(FastPathAutoConfiguration.foreignFilters(List.of(subclass))).contains(subclass.getClass().getName());
    }

    @Test
    void isOffWhenGatewayWouldAddForwardingHeadersOrTracingIsOff() {
        assertThat(FastPathAutoConfiguration.unsupported(new MockEnvironment()
                .withProperty("spring.cloud.gateway.server.webflux.trusted-proxies", ".*"))).contains("trusted-proxies");
        assertThat(FastPathAutoConfiguration.unsupported(new MockEnvironment()
                .withProperty("management.tracing.enabled", "false"))).contains("tracing");
        assertThat(FastPathAutoConfiguration.unsupported(new MockEnvironment()
                .withProperty("spring.webflux.base-path", "/edge"))).contains("base-path");
    }

    @Test
    void isOffWhenTheLoadBalancerAddsItsInstanceCookieForAnyService() {
        assertThat(FastPathAutoConfiguration.unsupported(new MockEnvironment()
                .withProperty("spring.cloud.loadbalancer.sticky-session.add-service-instance-cookie", "true")))
                .contains("add-service-instance-cookie");
        assertThat(FastPathAutoConfiguration.unsupported(new MockEnvironment()
                .withProperty("spring.cloud.loadbalancer.clients.planner.sticky-session.add-service-instance-cookie", "true")))
                .contains("add-service-instance-cookie");
    }
}
