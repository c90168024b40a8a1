package dev.meshgate.launcher;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class HttpProbeTest {

    @Test
    void anActuatorAnswerNamesTheComponentsThatAreNotUp() {
        String body = "{\"status\":\"DOWN\",\"components\":{\"diskSpace\":{\"status\":\"UP\"},"
                + "\"configServer\":{\"status\":\"DOWN\",\"details\":{\"error\":\"connection refused\"}},"
                + "\"registry\":{\"status\":\"OUT_OF_SERVICE\"}}}";
        assertThat(new HttpProbe.Answer(503, body, null).describe())
                .isEqualTo("answered 503, components not UP: configServer DOWN {error=connection refused}; registry OUT_OF_SERVICE");
    }

    @Test
    void otherAnswersAreShownAsAShortExcerpt() {
        assertThat(new HttpProbe.Answer(502, "x".repeat(300), null).describe()).startsWith("answered 502: xxx").endsWith("...").hasSize("answered 502: ".length() + 200 + "...".length());
        assertThat(new HttpProbe.Answer(200, "{}", null).describe()).isEqualTo("answered 200");
        assertThat(new HttpProbe.Answer(-1, null, "connection refused").describe()).isEqualTo("connection refused");
    }

    @Test
    void aClosedPortIsAnAnswerNotAnException() {
        int closed = LoopbackPorts.free(1).get(0);
        HttpProbe.Answer answer = new HttpProbe().get(URI.create("http://127.0.0.1:" + closed + "/health"));
        assertThat(answer.ok()).isFalse();
        assertThat(answer.describe()).isEqualTo("connection refused");
    }
}
