package dev.meshgate.proxy.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallerCapsTest {

    private final CallerCaps caps = new CallerCaps();

    @Test
    void eachCallerIsCappedOnItsOwnAndItsEntryGoesWithItsLastRequest() {
        CallerCaps.Permit first = caps.admit("planner/planner-1", 2);
        CallerCaps.Permit second = caps.admit("planner/planner-1", 2);

        assertThat(caps.admit("planner/planner-1", 2)).as("past the cap").isNull();
        assertThat(caps.admit("calc/calc-1", 2)).as("another caller").isNotNull();
        assertThat(caps.inFlight("planner/planner-1")).isEqualTo(2);

        first.release();
        first.release();
        assertThat(caps.inFlight("planner/planner-1")).as("a permit goes back once").isEqualTo(1);
        second.release();
        assertThat(caps.inFlight("planner/planner-1")).isZero();
        assertThat(caps.callers()).as("only calc is left").isEqualTo(1);
    }
}
