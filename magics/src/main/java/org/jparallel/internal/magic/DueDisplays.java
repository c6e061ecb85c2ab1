package org.jparallel.internal.magic;

import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Displays that are shown only if their run still goes on after a delay: a {@code WorkerPool} call made by
 * notebook code shows its progress once it has lasted {@link ProgressDisplay#OBSERVED_FIRST_MS} ms.
 *
 * <p>One clock task serves every display waiting, and it looks at them at most once per {@code batchMillis}: a
 * call that ends sooner (an {@code apply}) costs a queue entry, not a wake-up of the clock's thread. A task per
 * call woke that thread once per call, and so did a task for the next call due: in a notebook, 9 to 27 µs of
 * its CPU per {@code apply}, in rounds of 151 to 193 µs (issue 15). Thread-safe.
 */
final class DueDisplays {

    /** A display to show at {@code dueNanos} ({@link System#nanoTime}) unless its run is done by then. */
    private record Waiting(long dueNanos, BooleanSupplier done, Runnable show) {
    }

    private final ScheduledExecutorService clock;
    private final long delayNanos;
    private final long batchNanos;
    /** In the order they came, so with due times that do not decrease but for calls racing to add. */
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    /** Whether a clock task is scheduled to look at {@link #waiting}. */
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /**
     * @param delayMillis how long a run must last to be shown
     * @param batchMillis how long after its due time a display may come, so that the clock looks at the displays
     *                    waiting at most once per this long
     */
    DueDisplays(ScheduledExecutorService clock, long delayMillis, long batchMillis) {
        this.clock = clock;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        this.batchNanos = TimeUnit.MILLISECONDS.toNanos(batchMillis);
    }

    /** Runs {@code show} on the clock's thread after the delay, unless {@code done} says the run ended by then. */
    void add(BooleanSupplier done, Runnable show) {
        waiting.add(new Waiting(System.nanoTime() + delayNanos, done, show));
        scheduleForOldest(0); // the oldest may be older than this one: a look had just ended as it came
    }

    /**
     * Unless a clock task is scheduled already, schedules one for when the oldest display waiting is due, but not
     * sooner than {@code atLeastNanos} from now; does nothing when none waits.
     */
    private void scheduleForOldest(long atLeastNanos) {
        Waiting oldest = waiting.peek();
        if (oldest != null && scheduled.compareAndSet(false, true)) {
            clock.schedule(this::showDue, Math.max(atLeastNanos, oldest.dueNanos() - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Shows what is due and still running, drops what is due and done, and looks again when the next one is due,
     * or a batch later.
     */
    private void showDue() {
        try {
            Waiting next;
            while ((next = waiting.peek()) != null && next.dueNanos() - System.nanoTime() <= 0) {
                waiting.poll();
                if (!next.done().getAsBoolean()) {
                    show(next);
                }
            }
        } finally {
            scheduled.set(false);
            scheduleForOldest(batchNanos); // also for one added while this look ran, which found it scheduled
        }
    }

    /** A display that fails to show is logged: the others waiting must still be shown. */
    private static void show(Waiting due) {
        try {
            due.show().run();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(DueDisplays.class).warn("could not show a run's progress", e);
        }
    }
}
