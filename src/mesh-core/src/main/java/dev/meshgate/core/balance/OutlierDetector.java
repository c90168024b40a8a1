package dev.meshgate.core.balance;

import dev.meshgate.core.discovery.Endpoint;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Passive outlier detection, shared by every event loop of a data plane: an endpoint whose tries fail
 * leaves its service's rotation for a while, before any registry notices. A refused connection ejects
 * at once; other failures (a reset, a 5xx answer) after {@code consecutiveFailures} in a row. Each
 * repeat offence multiplies the base ejection time, up to a cap. At most {@code maxEjectedPercent} of
 * a service's endpoints are out at once, but always one, so that one of two can leave (Envoy's rule).
 *
 * <p>Known-good endpoints cost nothing: with no failure on record, {@link #ejected} and
 * {@link #succeeded} return after one emptiness check.
 */
public final class OutlierDetector {

    /**
     * @param consecutiveFailures failures in a row that eject (a refused connection ejects at once)
     * @param baseEjection        how long the first ejection lasts; the n-th lasts n times as long
     * @param maxEjection         the longest an ejection lasts
     * @param maxEjectedPercent   the share of a service's endpoints that may be out at once (one always may)
     */
    public record Settings(int consecutiveFailures, Duration baseEjection, Duration maxEjection, int maxEjectedPercent) {

        /** Envoy's defaults: 5 in a row, 30 s growing to 300 s, 10% of a service. */
        public static final Settings DEFAULT = new Settings(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 10);

        public Settings {
            if (consecutiveFailures < 1) {
                throw new IllegalArgumentException("outlier-detection.consecutive-failures must be at least 1, was " + consecutiveFailures);
            }
            if (baseEjection == null || baseEjection.isNegative() || baseEjection.isZero()) {
                throw new IllegalArgumentException("outlier-detection.base-ejection must be positive, was " + baseEjection);
            }
            if (maxEjection == null || maxEjection.compareTo(baseEjection) < 0) {
                throw new IllegalArgumentException("outlier-detection.max-ejection must be at least the base ejection, was " + maxEjection);
            }
            if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
                throw new IllegalArgumentException("outlier-detection.max-ejected-percent must be between 0 and 100, was " + maxEjectedPercent);
            }
        }
    }

    private record Key(String host, int port) {
    }

    /** What is known of one endpoint that has failed; written under its own lock, its ejection read without. */
    private static final class Record {
        final String service;
        int consecutive;
        int ejections;
        volatile long ejectedUntil;

        Record(String service, long now) {
            this.service = service;
            this.ejectedUntil = now;
        }
    }

    private final Settings settings;
    private final LongSupplier nanoClock;
    private final Map<Key, Record> records = new ConcurrentHashMap<>();

    public OutlierDetector(Settings settings) {
        this(settings, System::nanoTime);
    }

    /** @param nanoClock the time ejections are measured in (tests pass a virtual one) */
    public OutlierDetector(Settings settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.nanoClock = nanoClock;
    }

    /** Whether {@code endpoint} is out of rotation now. */
    public boolean ejected(Endpoint endpoint) {
        if (records.isEmpty()) {
            return false;
        }
        Record record = records.get(new Key(endpoint.host(), endpoint.port()));
        return record != null && record.ejectedUntil - nanoClock.getAsLong() > 0;
    }

    /**
     * A try to {@code host:port}, one of the {@code endpoints} of {@code service}, failed;
     * {@code immediate} for a refused connection.
     *
     * @return true when this failure ejected the endpoint
     */
    public boolean failed(String service, String host, int port, int endpoints, boolean immediate) {
        long now = nanoClock.getAsLong();
        Record record = records.computeIfAbsent(new Key(host, port), key -> new Record(service, now));
        synchronized (record) {
            if (record.ejectedUntil - now > 0) {
                return false;
            }
            record.consecutive++;
            if (!immediate && record.consecutive < settings.consecutiveFailures()) {
                return false;
            }
            if (ejectedNow(service, now) >= Math.max(1, endpoints * settings.maxEjectedPercent() / 100)) {
                // the cap: this one stays in rotation, the retry stage steps over it
                return false;
            }
            record.ejections++;
            long base = settings.baseEjection().toNanos();
            long duration = Math.min(settings.maxEjection().toNanos(), base * record.ejections);
            record.ejectedUntil = now + duration;
            record.consecutive = 0;
            return true;
        }
    }

    /** A try to {@code host:port} was answered: its run of failures ends. */
    public void succeeded(String host, int port) {
        if (records.isEmpty()) {
            return;
        }
        Key key = new Key(host, port);
        Record record = records.get(key);
        if (record != null) {
            synchronized (record) {
                record.consecutive = 0;
                if (nanoClock.getAsLong() - record.ejectedUntil > settings.maxEjection().toNanos()) {
                    // healthy for longer than any ejection lasts: its offences are forgiven, and an
                    // empty table makes every pick free again
                    records.remove(key, record);
                }
            }
        }
    }

    private int ejectedNow(String service, long now) {
        int count = 0;
        for (Record record : records.values()) {
            if (record.service.equals(service) && record.ejectedUntil - now > 0) {
                count++;
            }
        }
        return count;
    }
}
