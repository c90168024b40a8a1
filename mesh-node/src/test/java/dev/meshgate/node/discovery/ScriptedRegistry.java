package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import reactor.core.publisher.Mono;

import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry answering synchronously from a script: queued answers first, then a steady default.
 * For the loops' timing, tested on virtual time, where real I/O would race the clock.
 */
final class ScriptedRegistry implements RegistryApi {

    final Deque<Mono<Void>> registerAnswers = new ConcurrentLinkedDeque<>();
    final Deque<Mono<Boolean>> renewAnswers = new ConcurrentLinkedDeque<>();
    final Deque<Mono<Map<String, List<Endpoint>>>> fetchAllAnswers = new ConcurrentLinkedDeque<>();
    volatile Mono<Map<String, List<Endpoint>>> steadyFetchAll = Mono.just(Map.of());

    final AtomicInteger registers = new AtomicInteger();
    final AtomicInteger renewals = new AtomicInteger();
    final AtomicInteger deregistrations = new AtomicInteger();
    final AtomicInteger fetches = new AtomicInteger();

    @Override
    public Mono<Void> register(InstanceRegistration registration) {
        return Mono.defer(() -> {
            registers.incrementAndGet();
            Mono<Void> answer = registerAnswers.poll();
            return answer != null ? answer : Mono.empty();
        });
    }

    @Override
    public Mono<Boolean> renew(InstanceRegistration registration) {
        return Mono.defer(() -> {
            renewals.incrementAndGet();
            Mono<Boolean> answer = renewAnswers.poll();
            return answer != null ? answer : Mono.just(true);
        });
    }

    @Override
    public Mono<Void> deregister(InstanceRegistration registration) {
        return Mono.fromRunnable(deregistrations::incrementAndGet);
    }

    @Override
    public Mono<Map<String, List<Endpoint>>> fetchAll() {
        return Mono.defer(() -> {
            fetches.incrementAndGet();
            Mono<Map<String, List<Endpoint>>> answer = fetchAllAnswers.poll();
            return answer != null ? answer : steadyFetchAll;
        });
    }

    @Override
    public Mono<List<Endpoint>> fetchCluster(String service) {
        return fetchAll().map(all -> all.getOrDefault(service, List.of()));
    }

    static Mono<Void> unreachable() {
        return Mono.error(new RegistryException("GET http://127.0.0.1:1/eureka failed: Connection refused"));
    }
}
