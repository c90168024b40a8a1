package dev.meshgate.core.balance;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RoundRobinTest {

    @Test
    void cyclesThroughEveryChoiceInOrder() {
        RoundRobin<String> picker = new RoundRobin<>(List.of("a", "b", "c"));
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picked.add(picker.next());
        }
        assertThat(picked).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void emptyListPicksNothing() {
        assertThat(new RoundRobin<>(List.of()).next()).isNull();
    }

    @Test
    void survivesCounterOverflow() {
        RoundRobin<String> picker = new RoundRobin<>(List.of("a", "b", "c"), Integer.MAX_VALUE);
        for (int i = 0; i < 10; i++) {
            assertThat(picker.next()).isIn("a", "b", "c");
        }
    }
}
