package dev.meshgate.core.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultPolicyTest {

    @Test
    void eachFaultAppliesToItsShareOfTheDrawsAndAPercentDefaultsToAll() {
        FaultPolicy fault = new FaultPolicy(new FaultPolicy.Delay(10.0, Duration.ofMillis(200)),
                new FaultPolicy.Abort(null, 503), null);

        assertThat(fault.delays(0.099)).isTrue();
        assertThat(fault.delays(0.1)).isFalse();
        assertThat(fault.aborts(0.999)).as("no percent: every request").isTrue();
        assertThat(fault.delayNanos()).isEqualTo(200_000_000L);
        assertThat(fault.headers()).isEmpty();
        assertThat(new FaultPolicy(null, new FaultPolicy.Abort(0.0, 500), null).aborts(0.0)).as("0%: never").isFalse();
        assertThat(new FaultPolicy(null, new FaultPolicy.Abort(0.0, 500), null).delays(0.0)).isFalse();
    }

    @Test
    void headerNamesAreMatchedCaseInsensitively() {
        FaultPolicy fault = new FaultPolicy(null, new FaultPolicy.Abort(50.0, 500), Map.of("X-Chaos", "on"));

        assertThat(fault.headers()).containsExactly(Map.entry("x-chaos", "on"));
    }

    @Test
    void badValuesAreRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> new FaultPolicy.Abort(150.0, 503))
                .hasMessage("fault.abort.percent must be a percentage from 0 to 100, was 150.0");
        assertThatThrownBy(() -> new FaultPolicy.Delay(-1.0, Duration.ofSeconds(1)))
                .hasMessage("fault.delay.percent must be a percentage from 0 to 100, was -1.0");
        assertThatThrownBy(() -> new FaultPolicy.Abort(5.0, 99)).hasMessage("fault.abort.status must be a status from 200 to 599, was 99");
        assertThatThrownBy(() -> new FaultPolicy.Delay(5.0, null)).hasMessageContaining("fault.delay.fixed is required");
        assertThatThrownBy(() -> new FaultPolicy.Delay(5.0, Duration.ofSeconds(-1))).hasMessageContaining("fault.delay.fixed");
        assertThatThrownBy(() -> new FaultPolicy(null, null, null)).hasMessage("fault needs a delay or an abort");
        assertThatThrownBy(() -> new FaultPolicy(null, new FaultPolicy.Abort(1.0, 500), Map.of("bad header", "x")))
                .hasMessageContaining("'bad header'");
    }

    @Test
    void aRoutesFaultIsItsOwnAndNeverInherited() {
        FaultPolicy fault = new FaultPolicy(null, new FaultPolicy.Abort(100.0, 503), null);
        RoutePolicy chaos = new RoutePolicy("chaos", "/chaos", null, null, false, null, null, fault);
        MeshPolicy policy = MeshPolicy.of(null, Map.of("search", ServicePolicy.of(null, null, List.of(chaos))));

        assertThat(policy.service("search").route("GET", "/chaos/x").fault()).isSameAs(fault);
        assertThat(policy.service("search").route("GET", "/other").fault()).as("the catch-all route").isNull();
    }
}
