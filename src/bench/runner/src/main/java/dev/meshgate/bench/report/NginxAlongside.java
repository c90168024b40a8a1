package dev.meshgate.bench.report;

import dev.meshgate.bench.load.WrkResult;

/**
 * The reference nginx at saturation in the windows right before and right after a contender's own
 * saturation window, each half as long as it. A machine whose speed drifts during a run (other work on
 * its cores, a neighbour on the host) drifts for both alike, so the contender's throughput divided by
 * this one's compares across contenders measured minutes apart; a linear drift cancels exactly.
 */
public record NginxAlongside(WrkResult before, WrkResult after) {

    /** Requests over seconds of both windows together. */
    public double requestsPerSecond() {
        double seconds = before.seconds() + after.seconds();
        return seconds > 0 ? (before.requests() + after.requests()) / seconds : Double.NaN;
    }
}
