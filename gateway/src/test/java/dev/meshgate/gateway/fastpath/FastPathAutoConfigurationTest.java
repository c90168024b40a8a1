package dev.meshgate.gateway.fastpath;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.mock.env.MockEnvironment;

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
    void isOffWhenGatewayWouldAddForwardingHeadersOrTracingIsOff() {
        assertThat(FastPathAutoConfiguration.unsupported(new MockEnvironment()
                .withProperty("spring.cloud.gateway.server.webflux.trusted-proxies", ".*"))).contains("trusted-proxies");
        assertThat(FastPathAutoConfiguration.unsupported(new MockEnvironment()
                .withProperty("management.tracing.enabled", "false"))).contains("tracing");
        assertThat(FastPathAutoConfiguration.unsupported(new MockEnvironment()
                .withProperty("spring.webflux.base-path", "/edge"))).contains("base-path");
    }
}
