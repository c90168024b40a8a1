package dev.meshgate.proxy.cluster;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests in flight from each caller to this node's app, against the service's
 * {@code bulkhead.max-requests-per-caller}: past the cap a caller's request is refused at once, and
 * the other callers go on. A caller's entry lives only while it has a request in flight, so callers
 * that come and go (or names a client makes up) cannot grow it.
 */
public final class CallerCaps {

    /** One admitted request's place, given back once when its exchange ends. */
    public final class Permit {
        private final String caller;
        private boolean released;

        private Permit(String caller) {
            this.caller = caller;
        }

        public void release() {
            if (!released) {
                released = true;
                inFlight.computeIfPresent(caller, (name, count) -> count <= 1 ? null : count - 1);
            }
        }
    }

    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    /** A place for a request from {@code caller} under {@code cap}, or null when the caller is at the cap. */
    public Permit admit(String caller, int cap) {
        boolean[] admitted = new boolean[1];
        inFlight.compute(caller, (name, count) -> {
            int now = count == null ? 0 : count;
            if (now >= cap) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0] ? new Permit(caller) : null;
    }

    /** Requests in flight from {@code caller} now. */
    public int inFlight(String caller) {
        return inFlight.getOrDefault(caller, 0);
    }

    /** Callers with a request in flight now. */
    public int callers() {
        return inFlight.size();
    }
}
