package dev.meshgate.bench.load;

/**
 * One fixed-rate run. {@code responseTime} is measured from each request's intended send time (what
 * a user waiting on a schedule sees, stalls included); {@code serviceTime} from the moment it was
 * actually written (what a closed-loop tool would report). A gap between the two means requests
 * queued behind a stall.
 */
public record OpenLoopResult(int targetRate, double seconds, long scheduled, long completed, long failed,
                             LatencySummary responseTime, LatencySummary serviceTime) {

    public double achievedRate() {
        return seconds > 0 ? completed / seconds : 0;
    }
}
