package dev.meshgate.bench.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WrkResultTest {

    private static final String OUTPUT = """
            Running 3s test @ http://127.0.0.1:9101/bytes?size=1024
              1 threads and 32 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   326.49us  102.11us   4.12ms   90.00%
                Req/Sec    98.50k     3.21k  101.00k    80.00%
              Latency Distribution
                 50%  296.00us
                 75%  350.00us
                 90%  420.00us
                 99%    1.21ms
              296912 requests in 3.00s, 331.12MB read
              Non-2xx or 3xx responses: 12
              Socket errors: connect 0, read 3, write 0, timeout 1
            Requests/sec:  98970.33
            Transfer/sec:    110.37MB
            """;

    @Test
    void readsCountRateFailuresAndPercentiles() {
        WrkResult result = WrkResult.parse(OUTPUT);

        assertThat(result.requests()).isEqualTo(296_912);
        assertThat(result.seconds()).isCloseTo(3.0, within(1e-9));
        assertThat(result.requestsPerSecond()).isCloseTo(98_970.33, within(1e-6));
        assertThat(result.non2xx()).isEqualTo(12);
        assertThat(result.socketErrors()).isEqualTo(4);
        assertThat(result.failures()).isEqualTo(16);
        assertThat(result.p50Micros()).isCloseTo(296.0, within(1e-9));
        assertThat(result.p99Micros()).isCloseTo(1210.0, within(1e-9));
        assertThat(result.duration()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aRunWithoutResultsIsAnErrorShowingWrksOutput() {
        assertThatThrownBy(() -> WrkResult.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .hasMessageContaining("wrk printed no result").hasMessageContaining("Connection refused");
    }

    @Test
    void commandCarriesTheHostHeaderAndAWholeNumberOfSeconds() {
        assertThat(new Wrk("wrk", 1, 32).command("http://127.0.0.1:1/bytes", "search", Duration.ofMillis(2500)))
                .containsExactly("wrk", "-t1", "-c32", "-d2s", "--latency", "--timeout", "10s", "-H", "Host: search",
                        "http://127.0.0.1:1/bytes");
    }
}
