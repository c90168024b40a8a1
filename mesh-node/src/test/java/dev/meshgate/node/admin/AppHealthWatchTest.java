package dev.meshgate.node.admin;

import dev.meshgate.node.MeshNodeProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The app probe's verdicts on virtual time: thresholds, timeouts, and what the registry is told. */
class AppHealthWatchTest {

    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final MeshNodeProperties.AppHealth SETTINGS =
            new MeshNodeProperties.AppHealth(true, "", INTERVAL, Duration.ofSeconds(1), 2, 1);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    /** The answers of the next probes, in order; past the end the app serves. */
    private final Queue<Mono<Void>> answers = new ArrayDeque<>();
    private final List<Boolean> told = new CopyOnWriteArrayList<>();

    private AppHealthWatch watch(MeshNodeProperties.AppHealth settings) {
        AppHealthWatch watch = new AppHealthWatch(settings, "http://127.0.0.1:8080/", () -> Mono.defer(() -> {
            Mono<Void> next = answers.poll();
            return next != null ? next : Mono.empty();
        }), time);
        watch.onChange(told::add);
        return watch;
    }

    private static Mono<Void> refused() {
        return Mono.error(new IllegalStateException("GET http://127.0.0.1:8080/ failed: Connection refused"));
    }

    @AfterEach
    void shutDown() {
        time.dispose();
    }

    @Test
    void aServingAppIsUpAfterTheFirstProbeAndNothingIsToldTheRegistry() {
        AppHealthWatch watch = watch(SETTINGS);
        assertThat(watch.health().getStatus()).as("before any probe").isEqualTo(Status.UNKNOWN);

        watch.start();
        time.advanceTime();

        assertThat(watch.health().getStatus()).isEqualTo(Status.UP);
        assertThat(told).isEmpty();
        watch.destroy();
    }

    @Test
    void failuresInARowTakeTheNodeOutAndOneSuccessBringsItBack() {
        answers.add(Mono.empty());
        answers.add(refused());
        answers.add(Mono.empty());
        answers.add(refused());
        answers.add(refused());
        AppHealthWatch watch = watch(SETTINGS);
        watch.start();

        time.advanceTime();
        time.advanceTimeBy(INTERVAL);
        assertThat(watch.serving()).as("one failure is under the threshold").isTrue();
        time.advanceTimeBy(INTERVAL);
        time.advanceTimeBy(INTERVAL);
        assertThat(told).isEmpty();
        time.advanceTimeBy(INTERVAL);

        assertThat(watch.serving()).isFalse();
        assertThat(watch.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(watch.health().getDetails()).containsEntry("failure", "GET http://127.0.0.1:8080/ failed: Connection refused");
        assertThat(told).containsExactly(false);

        time.advanceTimeBy(INTERVAL);
        assertThat(watch.health().getStatus()).isEqualTo(Status.UP);
        assertThat(told).containsExactly(false, true);
        watch.destroy();
    }

    @Test
    void aHungAppFailsEachProbeAtItsTimeout() {
        answers.add(Mono.never());
        answers.add(Mono.never());
        AppHealthWatch watch = watch(SETTINGS);
        watch.start();

        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(watch.serving()).as("the first probe timed out at 1 s").isTrue();
        // the second probe starts at 2 s and times out at 3 s; the third (at 4 s) would find the app back
        time.advanceTimeBy(Duration.ofMillis(2500));

        assertThat(watch.serving()).isFalse();
        assertThat(watch.health().getDetails()).containsEntry("failure", "no answer within 1000 ms");
        watch.destroy();
    }

    @Test
    void anAppDownFromTheStartIsReportedAtTheThreshold() {
        answers.add(refused());
        answers.add(refused());
        AppHealthWatch watch = watch(SETTINGS);
        watch.start();

        time.advanceTime();
        time.advanceTimeBy(INTERVAL);

        assertThat(told).containsExactly(false);
        watch.destroy();
    }

    @Test
    void switchedOffItNeverProbesAndStaysUp() {
        answers.add(refused());
        AppHealthWatch watch = watch(new MeshNodeProperties.AppHealth(false, "", INTERVAL, Duration.ofSeconds(1), 2, 1));
        watch.start();
        time.advanceTimeBy(Duration.ofMinutes(1));

        assertThat(answers).hasSize(1);
        assertThat(watch.health().getStatus()).isEqualTo(Status.UP);
        assertThat(watch.health().getDetails()).containsEntry("probe", "off (mesh.app.health.enabled=false)");
    }
}
