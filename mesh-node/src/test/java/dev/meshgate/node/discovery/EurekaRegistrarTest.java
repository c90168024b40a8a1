package dev.meshgate.node.discovery;

import dev.meshgate.node.discovery.EurekaRegistrar.Outcome;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EurekaRegistrarTest {

    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final InstanceRegistration SEARCH_1 = new InstanceRegistration("search-1", "search",
            "127.0.0.1", 15106, 15101, 15100, "v1", "local", HEARTBEAT, Duration.ofSeconds(30));

    private final ScriptedRegistry registry = new ScriptedRegistry();
    private final RegistryStatus status = new RegistryStatus("http://registry", true, Clock.systemUTC());
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final EurekaRegistrar registrar = new EurekaRegistrar(registry, status, HEARTBEAT, FIRST_RETRY, time);

    @Test
    void registersAtOnceThenRenewsEveryHeartbeatInterval() {
        StepVerifier.withVirtualTime(() -> registrar.run(SEARCH_1), () -> time, Long.MAX_VALUE)
                .expectNext(Outcome.REGISTERED)
                .expectNoEvent(HEARTBEAT.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(Outcome.RENEWED)
                .thenAwait(HEARTBEAT)
                .expectNext(Outcome.RENEWED)
                .thenCancel()
                .verify();

        assertThat(registry.registers).hasValue(1);
        assertThat(registry.renewals).hasValue(2);
        assertThat(status.view().registered()).isTrue();
    }

    @Test
    void aNodeWhoseAppDoesNotServeIsOutOfServiceUntilItServesAgain() {
        registrar.inService(false);

        StepVerifier.withVirtualTime(() -> registrar.run(SEARCH_1), () -> time, Long.MAX_VALUE)
                .expectNext(Outcome.REGISTERED)
                .then(() -> assertThat(registry.statusChanges).as("told right after registering").containsExactly(false))
                .then(() -> registrar.inService(true))
                .thenAwait(HEARTBEAT)
                .expectNext(Outcome.RENEWED)
                .thenCancel()
                .verify();

        assertThat(registry.statusChanges).as("back in service at the next heartbeat").containsExactly(false, true);
    }

    @Test
    void retriesRegistrationWithBackoffWhileTheRegistryIsDownAndNeverErrors() {
        for (int i = 0; i < 6; i++) {
            registry.registerAnswers.add(ScriptedRegistry.unreachable());
        }

        StepVerifier.withVirtualTime(() -> registrar.run(SEARCH_1)
                                .takeUntil(outcome -> outcome == Outcome.REGISTERED)
                                .map(outcome -> new TimedOutcome(outcome, time.now(TimeUnit.MILLISECONDS)))
                                .collectList(),
                        () -> time, Long.MAX_VALUE)
                .thenAwait(Duration.ofMinutes(1))
                .assertNext(attempts -> {
                    assertThat(attempts).extracting(TimedOutcome::outcome).containsExactly(Outcome.FAILED,
                            Outcome.FAILED, Outcome.FAILED, Outcome.FAILED, Outcome.FAILED, Outcome.FAILED, Outcome.REGISTERED);
                    assertThat(attempts.get(0).atMillis()).isZero();
                    for (int retry = 1; retry < attempts.size(); retry++) {
                        long waited = attempts.get(retry).atMillis() - attempts.get(retry - 1).atMillis();
                        long backoff = Math.min(FIRST_RETRY.toMillis() << (retry - 1), HEARTBEAT.toMillis());
                        // doubling, jittered down by at most half, never longer than the heartbeat
                        assertThat(waited).as("wait before retry " + retry).isBetween(backoff / 2, backoff);
                    }
                })
                .verifyComplete();

        assertThat(registry.registers).hasValue(7);
        assertThat(registry.renewals).hasValue(0);
        assertThat(status.view().registered()).isTrue();
        assertThat(status.view().lastError()).contains("Connection refused");
    }

    @Test
    void anUnregisteredNodeIsReportedWhileRetrying() {
        registry.registerAnswers.add(ScriptedRegistry.unreachable());

        StepVerifier.withVirtualTime(() -> registrar.run(SEARCH_1), () -> time, Long.MAX_VALUE)
                .expectNext(Outcome.FAILED)
                .then(() -> assertThat(status.view().problems()).anyMatch(p -> p.contains("not registered")))
                .thenAwait(FIRST_RETRY)
                .expectNext(Outcome.REGISTERED)
                .then(() -> assertThat(status.view().registered()).isTrue())
                .thenCancel()
                .verify();
    }

    private record TimedOutcome(Outcome outcome, long atMillis) {
    }

    @Test
    void theFirstRetryComesSoonerThanTheHeartbeat() {
        registry.registerAnswers.add(ScriptedRegistry.unreachable());

        StepVerifier.withVirtualTime(() -> registrar.run(SEARCH_1), () -> time, Long.MAX_VALUE)
                .expectNext(Outcome.FAILED)
                .expectNoEvent(FIRST_RETRY.dividedBy(2).minusMillis(1))
                .thenAwait(FIRST_RETRY.dividedBy(2).plusMillis(1))
                .expectNext(Outcome.REGISTERED)
                .thenCancel()
                .verify();
    }

    @Test
    void reRegistersWhenTheRegistryForgotTheInstance() {
        registry.renewAnswers.add(Mono.just(true));
        registry.renewAnswers.add(Mono.just(false));

        StepVerifier.withVirtualTime(() -> registrar.run(SEARCH_1), () -> time, Long.MAX_VALUE)
                .expectNext(Outcome.REGISTERED)
                .thenAwait(HEARTBEAT).expectNext(Outcome.RENEWED)
                .thenAwait(HEARTBEAT).expectNext(Outcome.REREGISTERED)
                .thenAwait(HEARTBEAT).expectNext(Outcome.RENEWED)
                .thenCancel()
                .verify();

        assertThat(registry.registers).hasValue(2);
    }

    @Test
    void aFailedRenewalIsRecordedAndTheNextHeartbeatTriesAgain() {
        registry.renewAnswers.add(Mono.error(new RegistryException("PUT /apps/SEARCH/search-1 answered 500")));

        StepVerifier.withVirtualTime(() -> registrar.run(SEARCH_1), () -> time, Long.MAX_VALUE)
                .expectNext(Outcome.REGISTERED)
                .thenAwait(HEARTBEAT).expectNext(Outcome.FAILED)
                .then(() -> assertThat(status.view().registered()).isFalse())
                .thenAwait(HEARTBEAT).expectNext(Outcome.RENEWED)
                .thenCancel()
                .verify();

        assertThat(status.view().registered()).isTrue();
        assertThat(status.view().lastError()).contains("answered 500");
    }

    @Test
    void stopDeregistersAndEndsTheLoop() {
        registrar.start(SEARCH_1);
        assertThat(registrar.isRunning()).isTrue();
        assertThat(registry.registers).hasValue(1);

        registrar.stop(Duration.ofSeconds(1));
        time.advanceTimeBy(HEARTBEAT.multipliedBy(3));

        assertThat(registrar.isRunning()).isFalse();
        assertThat(registry.deregistrations).hasValue(1);
        assertThat(registry.renewals).hasValue(0);
        assertThat(status.view().registered()).isFalse();
    }

    @Test
    void stopWithoutStartDoesNothing() {
        registrar.stop(Duration.ofSeconds(1));

        assertThat(registry.deregistrations).hasValue(0);
    }

    @Test
    void retryDelaysGrowExponentiallyWithJitterUpToTheHeartbeat() {
        assertThat(registrar.retryDelay(1)).isBetween(Duration.ofMillis(250), FIRST_RETRY);
        assertThat(registrar.retryDelay(2)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(registrar.retryDelay(4)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(registrar.retryDelay(5)).isBetween(HEARTBEAT.dividedBy(2), HEARTBEAT);
        assertThat(registrar.retryDelay(1000)).isBetween(HEARTBEAT.dividedBy(2), HEARTBEAT);
    }

    @Test
    void rejectsAFirstRetryLongerThanTheHeartbeat() {
        assertThatThrownBy(() -> new EurekaRegistrar(registry, status, HEARTBEAT, Duration.ofSeconds(6), time))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was PT6S");
    }
}
