package dev.meshgate.launcher;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MiniJsonTest {

    @Test
    void readsNestedValues() {
        Object parsed = MiniJson.parse(" {\"a\": [1, 2.5, true, false, null, \"x\\\"y\\u0041\"], \"b\": {}} ");
        assertThat(parsed).isEqualTo(Map.of("a", java.util.Arrays.asList(1L, 2.5, true, false, null, "x\"yA"), "b", Map.of()));
    }

    @Test
    void rejectsMalformedInputSayingWhere() {
        assertThatThrownBy(() -> MiniJson.parse("{\"a\" 1}")).hasMessage("malformed JSON at offset 5: expected ':'");
        assertThatThrownBy(() -> MiniJson.parse("[1,]")).hasMessageStartingWith("malformed JSON at offset 3");
        assertThatThrownBy(() -> MiniJson.parse("{} x")).hasMessage("malformed JSON at offset 3: unexpected trailing content");
    }

    @Test
    void findsTheUpInstancesInEurekasAnswerWhetherListsOrSingleObjects() {
        assertThat(Launcher.upInstances(FakeComponent.REGISTERED)).containsExactly("planner-1", "search-1", "search-2", "calc-1");
        assertThat(Launcher.upInstances("{\"applications\":{\"application\":[{\"instance\":[{\"instanceId\":\"a\",\"status\":\"DOWN\"},"
                + "{\"instanceId\":\"b\",\"status\":\"UP\"}]}]}}")).containsExactly("b");
        assertThat(Launcher.upInstances("{\"applications\":{\"versions__delta\":\"1\",\"application\":[]}}")).isEmpty();
        assertThat(Launcher.asList(null)).isEqualTo(List.of());
    }
}
