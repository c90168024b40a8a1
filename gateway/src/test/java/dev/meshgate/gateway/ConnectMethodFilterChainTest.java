package dev.meshgate.gateway;

import org.springframework.test.context.TestPropertySource;

/** {@link ConnectMethodTest} with the fast path off: every request takes Gateway's filter chain. */
@TestPropertySource(properties = "mesh.gateway.fast-path.enabled=false")
class ConnectMethodFilterChainTest extends ConnectMethodTest {
}
