package dev.meshgate.proxy.exchange;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One deadline at a time on an event loop, for a connection's successive exchanges, without a
 * scheduled task per exchange: a task once scheduled stays until it fires, then checks the current
 * deadline and schedules itself again only when one is still set. A keep-alive connection serving
 * thousands of short exchanges thus schedules about one task per timeout period. Time is the event
 * loop's own ticker, so tests can drive it.
 */
final class DeadlineTimer implements Runnable {

    private final EventExecutor loop;
    private final Ticker ticker;
    private final Runnable onExpiry;
    private ScheduledFuture<?> scheduled;
    private long scheduledFor;
    private long deadline;
    private boolean armed;

    DeadlineTimer(EventExecutor loop, Runnable onExpiry) {
        this.loop = loop;
        this.ticker = loop.ticker();
        this.onExpiry = onExpiry;
    }

    /** Expires {@code timeoutNanos} from now unless disarmed first. */
    void arm(long timeoutNanos) {
        long deadlineNanos = ticker.nanoTime() + timeoutNanos;
        deadline = deadlineNanos;
        armed = true;
        if (scheduled != null && scheduledFor - deadlineNanos <= 0) {
            return;
        }
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        schedule(deadlineNanos);
    }

    void disarm() {
        armed = false;
    }

    /** Disarms and drops the pending task, so nothing holds on to the owner once its connection is gone. */
    void cancel() {
        armed = false;
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    @Override
    public void run() {
        scheduled = null;
        if (!armed) {
            return;
        }
        if (ticker.nanoTime() - deadline >= 0) {
            armed = false;
            onExpiry.run();
        } else {
            schedule(deadline);
        }
    }

    private void schedule(long at) {
        scheduledFor = at;
        scheduled = loop.schedule(this, Math.max(0, at - ticker.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
