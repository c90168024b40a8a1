package dev.meshgate.proxy.exchange;

import io.netty.channel.EventLoop;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One deadline at a time on an event loop, for a connection's successive exchanges, without a
 * scheduled task per exchange: a task once scheduled stays until it fires, then checks the current
 * deadline and schedules itself again only when one is still set. A keep-alive connection serving
 * thousands of short exchanges thus schedules about one task per timeout period.
 */
final class DeadlineTimer implements Runnable {

    private final EventLoop loop;
    private final Runnable onExpiry;
    private ScheduledFuture<?> scheduled;
    private long scheduledFor;
    private long deadline;
    private boolean armed;

    DeadlineTimer(EventLoop loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    /** Expires at {@code deadlineNanos} ({@link System#nanoTime()} terms) unless disarmed first. */
    void arm(long deadlineNanos) {
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
        if (System.nanoTime() - deadline >= 0) {
            armed = false;
            onExpiry.run();
        } else {
            schedule(deadline);
        }
    }

    private void schedule(long at) {
        scheduledFor = at;
        scheduled = loop.schedule(this, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
