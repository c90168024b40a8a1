package dev.meshgate.node.discovery;

import dev.meshgate.core.balance.RoundRobinBalancer;
import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EurekaServiceDirectoryTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final FakeEurekaServer registry = new FakeEurekaServer();
    private final EurekaRestClient client = new EurekaRestClient(registry.baseUrl(), Duration.ofSeconds(2));
    private final RegistryStatus status = new RegistryStatus(registry.baseUrl(), true, Clock.systemUTC());
    private final EurekaServiceDirectory directory = new EurekaServiceDirectory(client, status, REFRESH, Schedulers.parallel());

    @AfterEach
    void dispose() {
        directory.stop();
        client.close();
        registry.close();
    }

    @Test
    void aRefreshFillsTheSnapshotWithUpEndpointsUnderLowerCaseNames() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of("version", "v1"));
        registry.add("SEARCH", "search-2", "127.0.0.1", 15206, "UP", Map.of("version", "v2"));
        registry.add("SEARCH", "search-3", "127.0.0.1", 15306, "STARTING", Map.of());
        registry.add("CALC", "calc-1", "127.0.0.1", 15406, "UP", Map.of());

        assertThat(directory.refresh().block(WAIT)).isEqualTo(2);

        assertThat(directory.endpoints("search").endpoints()).extracting(Endpoint::instanceId).containsExactly("search-1", "search-2");
        assertThat(directory.endpoints("SEARCH")).isSameAs(directory.endpoints("search"));
        assertThat(directory.endpoints("calc").endpoints()).extracting(Endpoint::port).containsExactly(15406);
        assertThat(directory.endpoints("unknown")).isNull();
        assertThat(status.view().knownClusters()).isEqualTo(2);
        assertThat(status.view().lastFetch()).isNotNull();
    }

    @Test
    void anUnchangedClusterKeepsItsEndpointSetAndAChangedOneIsRebuilt() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        registry.add("SEARCH", "search-2", "127.0.0.1", 15206, "UP", Map.of());
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        directory.refresh().block(WAIT);
        EndpointSet search = directory.endpoints("search");
        EndpointSet calc = directory.endpoints("calc");

        registry.add("CALC", "calc-2", "127.0.0.1", 15307, "UP", Map.of());
        directory.refresh().block(WAIT);

        assertThat(directory.endpoints("search")).isSameAs(search);
        assertThat(directory.endpoints("calc")).isNotSameAs(calc);
        assertThat(directory.endpoints("calc").endpoints()).extracting(Endpoint::instanceId).containsExactly("calc-1", "calc-2");
    }

    @Test
    void aBalancersRotationCarriesOnAcrossARefreshThatRebuiltTheCluster() {
        RoundRobinBalancer balancer = RoundRobinBalancer.startingAtFirst();
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        registry.add("CALC", "calc-2", "127.0.0.1", 15307, "UP", Map.of());
        directory.refresh().block(WAIT);
        assertThat(balancer.pick(directory.endpoints("calc")).instanceId()).isEqualTo("calc-1");

        registry.add("CALC", "calc-3", "127.0.0.1", 15308, "UP", Map.of());
        directory.refresh().block(WAIT);

        assertThat(balancer.pick(directory.endpoints("CALC")).instanceId()).isEqualTo("calc-2");
        assertThat(balancer.pick(directory.endpoints("calc")).instanceId()).isEqualTo("calc-3");
    }

    @Test
    void aChangedLabelIsAChangedCluster() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of("version", "v1"));
        directory.refresh().block(WAIT);
        EndpointSet before = directory.endpoints("search");

        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of("version", "v2"));
        directory.refresh().block(WAIT);

        assertThat(directory.endpoints("search")).isNotSameAs(before);
        assertThat(directory.endpoints("search").get(0).version()).isEqualTo("v2");
    }

    @Test
    void aClusterWhoseLastInstanceLeftBecomesEmptyNotUnknown() {
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        directory.refresh().block(WAIT);

        registry.remove("CALC", "calc-1");
        directory.refresh().block(WAIT);

        assertThat(directory.endpoints("calc")).isNotNull();
        assertThat(directory.endpoints("calc").isEmpty()).isTrue();
    }

    @Test
    void duringARegistryOutageTheLastSnapshotKeepsServingAndTheFailureIsRecorded() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        directory.refresh().block(WAIT);
        EndpointSet search = directory.endpoints("search");

        registry.failWith(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThatThrownBy(() -> directory.refresh().block(WAIT)).isInstanceOf(RegistryException.class);

        assertThat(directory.endpoints("search")).isSameAs(search);
        assertThat(status.view().problems()).anyMatch(problem -> problem.contains("serving the last known endpoints"));
        assertThat(status.view().lastError()).contains("503");

        registry.failWith(null);
        directory.refresh().block(WAIT);
        assertThat(status.view().problems()).noneMatch(problem -> problem.contains("fetch"));
    }

    @Test
    void lookupFetchesAClusterTheSnapshotLacksAndMergesIt() throws Exception {
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        directory.refresh().block(WAIT);
        registry.add("PAY", "pay-1", "127.0.0.1", 15406, "UP", Map.of());

        EndpointSet pay = directory.lookup("pay").get(5, TimeUnit.SECONDS);

        assertThat(pay.endpoints()).extracting(Endpoint::instanceId).containsExactly("pay-1");
        assertThat(directory.endpoints("pay")).isSameAs(pay);
        assertThat(directory.endpoints("calc")).isNotNull();
        assertThat(registry.requests(HttpMethod.GET)).extracting(FakeEurekaServer.Recorded::path).contains("/eureka/apps/PAY");
    }

    @Test
    void lookupOfAClusterTheRegistryDoesNotKnowIsEmpty() throws Exception {
        EndpointSet nobody = directory.lookup("nobody").get(5, TimeUnit.SECONDS);

        assertThat(nobody.isEmpty()).isTrue();
        assertThat(directory.endpoints("nobody")).isSameAs(nobody);
        assertThat(directory.snapshot()).doesNotContainKey("nobody");
    }

    @Test
    void concurrentLookupsOfOneClusterShareOneRequest() throws Exception {
        registry.add("PAY", "pay-1", "127.0.0.1", 15406, "UP", Map.of());
        registry.hold();

        CompletableFuture<EndpointSet> first = directory.lookup("pay");
        CompletableFuture<EndpointSet> second = directory.lookup("PAY");
        await().atMost(WAIT).until(() -> registry.requests(HttpMethod.GET).size() == 1);
        CompletableFuture<EndpointSet> third = directory.lookup("pay");
        registry.release();

        assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(second.get(5, TimeUnit.SECONDS)).isSameAs(third.get(5, TimeUnit.SECONDS));
        assertThat(registry.requests(HttpMethod.GET)).hasSize(1);

        // once answered, the next lookup asks again
        directory.lookup("pay").get(5, TimeUnit.SECONDS);
        assertThat(registry.requests(HttpMethod.GET)).hasSize(2);
    }

    @Test
    void oneCallerCancellingItsLookupDoesNotFailTheOthers() throws Exception {
        registry.add("PAY", "pay-1", "127.0.0.1", 15406, "UP", Map.of());
        registry.hold();

        CompletableFuture<EndpointSet> impatient = directory.lookup("pay");
        CompletableFuture<EndpointSet> patient = directory.lookup("pay");
        impatient.cancel(true);
        registry.release();

        assertThat(patient.get(5, TimeUnit.SECONDS).endpoints()).hasSize(1);
    }

    @Test
    void aLookupFailsWhenTheRegistryCannotBeReachedAndTheFailureIsRecorded() {
        registry.failWith(HttpResponseStatus.INTERNAL_SERVER_ERROR);

        CompletableFuture<EndpointSet> lookup = directory.lookup("pay");

        assertThatThrownBy(() -> lookup.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RegistryException.class);
        assertThat(directory.endpoints("pay")).isNull();
        assertThat(status.view().lastError()).contains("500");
    }

    @Test
    void startRefreshesAtOnceAndStopEndsTheLoop() {
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());

        directory.start();

        assertThat(directory.isRunning()).isTrue();
        await().atMost(WAIT).until(() -> directory.endpoints("calc") != null);
        directory.stop();
        assertThat(directory.isRunning()).isFalse();
    }

    @Test
    void refreshesEveryIntervalAndOutlivesFailures() {
        ScriptedRegistry scripted = new ScriptedRegistry();
        Endpoint calc1 = new Endpoint("calc-1", "127.0.0.1", 15306, Map.of());
        Endpoint pay1 = new Endpoint("pay-1", "127.0.0.1", 15406, Map.of());
        scripted.fetchAllAnswers.add(Mono.just(ScriptedRegistry.upInstances(Map.of("calc", List.of(calc1)))));
        scripted.fetchDeltaAnswers.add(Mono.error(new RegistryUnreachableException(
                "GET http://registry/apps/delta failed: Connection refused", new java.net.ConnectException())));
        scripted.steadyFetchDelta = Mono.just(ScriptedRegistry.delta("UP_2_", Map.of("pay", List.of(ScriptedRegistry.up(pay1)))));
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        RegistryStatus scriptedStatus = new RegistryStatus("http://registry", false, Clock.systemUTC());
        EurekaServiceDirectory scriptedDirectory = new EurekaServiceDirectory(scripted, scriptedStatus, REFRESH, time);

        StepVerifier.withVirtualTime(scriptedDirectory::refreshPeriodically, () -> time, Long.MAX_VALUE)
                .expectNext(1)
                .expectNoEvent(REFRESH)
                .then(() -> assertThat(scriptedStatus.view().lastError()).contains("Connection refused"))
                .then(() -> assertThat(scriptedDirectory.endpoints("calc").endpoints()).containsExactly(calc1))
                .thenAwait(REFRESH)
                .expectNext(2)
                .thenCancel()
                .verify();

        // an unreachable registry says nothing about the local copy: the next refresh asks for the delta again
        assertThat(scripted.fetches).hasValue(1);
        assertThat(scripted.deltaFetches).hasValue(2);
        assertThat(scriptedDirectory.snapshot()).containsOnlyKeys("calc", "pay");
        assertThat(scriptedStatus.view().problems()).isEmpty();
    }

    @Test
    void stoppingAfterTheHttpLoopsAreGoneIsQuiet() {
        // At shutdown the shared HTTP loops can be disposed before the directory stops; cancelling the
        // fetch in flight then throws from the dead loop, which must not fail the context's stop.
        ScriptedRegistry scripted = new ScriptedRegistry();
        Mono<RegistryApplications> fetchOnDeadLoop = Mono.from(subscriber -> subscriber.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
                throw new RejectedExecutionException("event executor terminated");
            }
        }));
        scripted.fetchAllAnswers.add(fetchOnDeadLoop);
        RegistryStatus scriptedStatus = new RegistryStatus("http://registry", false, Clock.systemUTC());
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        EurekaServiceDirectory stopping = new EurekaServiceDirectory(scripted, scriptedStatus, REFRESH, time);
        stopping.start();
        time.advanceTime();
        assertThat(scripted.fetches).hasValue(1);

        stopping.stop();

        assertThat(stopping.isRunning()).isFalse();
    }

    @Test
    void afterTheFirstFullFetchEachRefreshAsksOnlyForTheDelta() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        directory.refresh().block(WAIT);
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());

        assertThat(directory.refresh().block(WAIT)).isEqualTo(2);
        directory.refresh().block(WAIT);

        assertThat(directory.endpoints("calc").endpoints()).extracting(Endpoint::instanceId).containsExactly("calc-1");
        assertThat(registry.requests(HttpMethod.GET)).extracting(FakeEurekaServer.Recorded::path)
                .containsExactly("/eureka/apps", "/eureka/apps/delta", "/eureka/apps/delta");
        assertThat(status.view().problems()).noneMatch(problem -> problem.contains("fetch"));
    }

    @Test
    void aDeltaAddsModifiesAndDeletesInstances() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        registry.add("SEARCH", "search-2", "127.0.0.1", 15206, "UP", Map.of());
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        directory.refresh().block(WAIT);
        registry.expireDeltas();

        registry.add("SEARCH", "search-3", "127.0.0.1", 15406, "UP", Map.of());
        registry.add("SEARCH", "search-2", "127.0.0.1", 15206, "DOWN", Map.of());
        registry.remove("CALC", "calc-1");
        directory.refresh().block(WAIT);

        assertThat(directory.endpoints("search").endpoints()).extracting(Endpoint::instanceId).containsExactly("search-1", "search-3");
        assertThat(directory.endpoints("calc")).isNotNull();
        assertThat(directory.endpoints("calc").isEmpty()).isTrue();
        assertThat(fullFetches()).as("the hashes agreed: no full fetch after the first").isEqualTo(1);

        // DOWN and back UP
        registry.add("SEARCH", "search-2", "127.0.0.1", 15206, "UP", Map.of());
        directory.refresh().block(WAIT);
        assertThat(directory.endpoints("search").endpoints()).extracting(Endpoint::instanceId)
                .containsExactly("search-1", "search-2", "search-3");
        assertThat(fullFetches()).isEqualTo(1);
    }

    @Test
    void anEmptyDeltaLeavesTheSameSnapshot() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        directory.refresh().block(WAIT);
        Map<String, EndpointSet> before = directory.snapshot();
        registry.expireDeltas();

        assertThat(directory.refresh().block(WAIT)).isEqualTo(2);

        assertThat(directory.snapshot()).isSameAs(before);
        assertThat(fullFetches()).isEqualTo(1);
    }

    @Test
    void aDeltaRepeatingWhatWasAppliedLeavesTheSameSnapshot() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        directory.refresh().block(WAIT);
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        directory.refresh().block(WAIT);
        Map<String, EndpointSet> applied = directory.snapshot();

        // calc-1 is still in the registry's delta window
        directory.refresh().block(WAIT);

        assertThat(directory.snapshot()).isSameAs(applied);
    }

    @Test
    void aDeltaRebuildsOnlyTheClustersItTouched() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        registry.add("SEARCH", "search-2", "127.0.0.1", 15206, "UP", Map.of());
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        registry.add("PAY", "pay-1", "127.0.0.1", 15406, "UP", Map.of());
        directory.refresh().block(WAIT);
        registry.expireDeltas();
        EndpointSet search = directory.endpoints("search");
        EndpointSet calc = directory.endpoints("calc");
        EndpointSet pay = directory.endpoints("pay");

        registry.add("CALC", "calc-2", "127.0.0.1", 15307, "UP", Map.of());
        // a status the snapshot does not show: PAY is touched, its UP endpoints are not
        registry.add("PAY", "pay-2", "127.0.0.1", 15407, "STARTING", Map.of());
        directory.refresh().block(WAIT);

        assertThat(directory.endpoints("search")).isSameAs(search);
        assertThat(directory.endpoints("pay")).isSameAs(pay);
        assertThat(directory.endpoints("calc")).isNotSameAs(calc);
        assertThat(directory.endpoints("calc").endpoints()).extracting(Endpoint::instanceId).containsExactly("calc-1", "calc-2");
        assertThat(fullFetches()).isEqualTo(1);
    }

    @Test
    void aChangeTheDeltaNoLongerListsShowsAsAHashMismatchAndAFullFetchRepairsIt() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        directory.refresh().block(WAIT);
        // pay-1 came and its change left the registry's delta window before this node asked
        registry.add("PAY", "pay-1", "127.0.0.1", 15406, "UP", Map.of());
        registry.expireDeltas();

        directory.refresh().block(WAIT);

        assertThat(directory.endpoints("pay").endpoints()).extracting(Endpoint::instanceId).containsExactly("pay-1");
        assertThat(registry.requests(HttpMethod.GET)).extracting(FakeEurekaServer.Recorded::path)
                .containsExactly("/eureka/apps", "/eureka/apps/delta", "/eureka/apps");
        assertThat(status.view().problems()).noneMatch(problem -> problem.contains("fetch"));

        // the full answer is trusted again: back to deltas
        directory.refresh().block(WAIT);
        assertThat(registry.requests(HttpMethod.GET)).last().extracting(FakeEurekaServer.Recorded::path).isEqualTo("/eureka/apps/delta");
    }

    @Test
    void aDeltaWhoseHashDisagreesIsNotPublishedAndAFullFetchReplacesIt() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        directory.refresh().block(WAIT);
        EndpointSet search = directory.endpoints("search");
        registry.add("SEARCH", "search-2", "127.0.0.1", 15206, "UP", Map.of());
        registry.answerDeltasWithHash("UP_7_");

        directory.refresh().block(WAIT);

        assertThat(fullFetches()).isEqualTo(2);
        assertThat(directory.endpoints("search")).isNotSameAs(search);
        assertThat(directory.endpoints("search").endpoints()).extracting(Endpoint::instanceId).containsExactly("search-1", "search-2");
    }

    @Test
    void aDeltaAnswerThatCannotBeReadFallsBackToAFullFetch() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        directory.refresh().block(WAIT);
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        registry.answerDeltasWithBody("{\"applications\": {\"application\": [{\"name\": ");

        assertThat(directory.refresh().block(WAIT)).isEqualTo(2);

        assertThat(directory.endpoints("calc").endpoints()).extracting(Endpoint::instanceId).containsExactly("calc-1");
        assertThat(registry.requests(HttpMethod.GET)).extracting(FakeEurekaServer.Recorded::path)
                .containsExactly("/eureka/apps", "/eureka/apps/delta", "/eureka/apps");
        assertThat(status.view().problems()).noneMatch(problem -> problem.contains("fetch"));
    }

    @Test
    void aRegistryThatRefusesDeltasIsReadInFull() {
        // what a Eureka server with eureka.server.disable-delta answers
        registry.failDeltasWith(HttpResponseStatus.FORBIDDEN);
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        directory.refresh().block(WAIT);
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());

        directory.refresh().block(WAIT);

        assertThat(directory.endpoints("calc")).isNotNull();
        assertThat(fullFetches()).isEqualTo(2);
        assertThat(status.view().problems()).noneMatch(problem -> problem.contains("fetch"));
    }

    @Test
    void whenTheFallbackFullFetchFailsTooTheSnapshotStaysAndTheNextRefreshFetchesInFull() {
        registry.add("SEARCH", "search-1", "127.0.0.1", 15106, "UP", Map.of());
        directory.refresh().block(WAIT);
        Map<String, EndpointSet> before = directory.snapshot();
        registry.add("SEARCH", "search-2", "127.0.0.1", 15206, "UP", Map.of());
        registry.answerDeltasWithHash("UP_7_");
        registry.failWith(HttpResponseStatus.SERVICE_UNAVAILABLE);
        registry.failDeltasWith(null);

        assertThatThrownBy(() -> directory.refresh().block(WAIT)).isInstanceOf(RegistryException.class);

        assertThat(directory.snapshot()).isSameAs(before);
        assertThat(status.view().lastError()).contains("503");

        // the local copy took a delta the registry's hash disowned: only a full answer is trusted now
        registry.failWith(null);
        registry.answerDeltasWithHash(null);
        directory.refresh().block(WAIT);
        assertThat(registry.requests(HttpMethod.GET)).last().extracting(FakeEurekaServer.Recorded::path).isEqualTo("/eureka/apps");
        assertThat(directory.endpoints("search").endpoints()).hasSize(2);
    }

    @Test
    void aLookedUpClusterIsReconciledByTheNextDeltaWithoutAFullFetch() throws Exception {
        registry.add("CALC", "calc-1", "127.0.0.1", 15306, "UP", Map.of());
        directory.refresh().block(WAIT);
        registry.add("PAY", "pay-1", "127.0.0.1", 15406, "UP", Map.of());
        EndpointSet lookedUp = directory.lookup("pay").get(5, TimeUnit.SECONDS);
        registry.add("PAY", "pay-2", "127.0.0.1", 15407, "UP", Map.of());
        registry.remove("PAY", "pay-1");

        directory.refresh().block(WAIT);

        assertThat(lookedUp.endpoints()).extracting(Endpoint::instanceId).containsExactly("pay-1");
        assertThat(directory.endpoints("pay").endpoints()).extracting(Endpoint::instanceId).containsExactly("pay-2");
        assertThat(fullFetches()).isEqualTo(1);
    }

    @Test
    void aLookupAnswerOlderThanTheLastDeltaDoesNotOverwriteIt() throws Exception {
        ScriptedRegistry scripted = new ScriptedRegistry();
        Endpoint calc1 = new Endpoint("calc-1", "127.0.0.1", 15306, Map.of());
        Endpoint pay1 = new Endpoint("pay-1", "127.0.0.1", 15406, Map.of());
        Endpoint pay2 = new Endpoint("pay-2", "127.0.0.1", 15407, Map.of());
        scripted.steadyFetchAll = Mono.just(ScriptedRegistry.upInstances(Map.of("calc", List.of(calc1))));
        Sinks.One<List<Endpoint>> slowLookup = Sinks.one();
        scripted.fetchClusterAnswers.add(slowLookup.asMono());
        scripted.fetchDeltaAnswers.add(Mono.just(ScriptedRegistry.delta("UP_2_", Map.of("pay", List.of(ScriptedRegistry.up(pay2))))));
        scripted.steadyFetchDelta = Mono.just(ScriptedRegistry.delta("UP_2_", Map.of()));
        EurekaServiceDirectory scriptedDirectory = new EurekaServiceDirectory(scripted,
                new RegistryStatus("http://registry", false, Clock.systemUTC()), REFRESH, Schedulers.immediate());
        scriptedDirectory.refresh().block(WAIT);

        CompletableFuture<EndpointSet> lookup = scriptedDirectory.lookup("pay");
        scriptedDirectory.refresh().block(WAIT);
        EndpointSet fromDelta = scriptedDirectory.endpoints("pay");
        // the lookup's answer was made before pay-1 left and pay-2 came
        slowLookup.tryEmitValue(List.of(pay1));

        assertThat(lookup.get(5, TimeUnit.SECONDS)).isSameAs(fromDelta);
        assertThat(scriptedDirectory.endpoints("pay").endpoints()).containsExactly(pay2);
        scriptedDirectory.refresh().block(WAIT);
        assertThat(scriptedDirectory.endpoints("pay")).isSameAs(fromDelta);
        assertThat(scripted.fetches).hasValue(1);
    }

    @Test
    void aFullFetchReplacesWhatALookupFilledIn() throws Exception {
        ScriptedRegistry scripted = new ScriptedRegistry();
        Endpoint pay1 = new Endpoint("pay-1", "127.0.0.1", 15406, Map.of());
        scripted.fetchClusterAnswers.add(Mono.just(List.of(pay1)));
        // the registry no longer lists pay when the first full answer comes
        scripted.steadyFetchAll = Mono.just(ScriptedRegistry.upInstances(Map.of()));
        EurekaServiceDirectory scriptedDirectory = new EurekaServiceDirectory(scripted,
                new RegistryStatus("http://registry", false, Clock.systemUTC()), REFRESH, Schedulers.immediate());
        assertThat(scriptedDirectory.lookup("pay").get(5, TimeUnit.SECONDS).endpoints()).containsExactly(pay1);

        scriptedDirectory.refresh().block(WAIT);

        assertThat(scriptedDirectory.endpoints("pay").isEmpty()).isTrue();
    }

    private long fullFetches() {
        return registry.requests(HttpMethod.GET).stream().filter(request -> request.path().equals("/eureka/apps")).count();
    }
}
