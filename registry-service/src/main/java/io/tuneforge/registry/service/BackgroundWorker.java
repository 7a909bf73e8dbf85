package io.tuneforge.registry.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One daemon thread that runs a task every {@code interval} (the retry of work a failure left behind) and soon after
 * a {@link #nudge()} (work that just arrived); several nudges before it runs make one run. The outbox relay and the
 * version registrar each own one. The task must not throw: it logs its own failures and waits for the next round.
 */
public final class BackgroundWorker {

    private final Runnable task;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ScheduledExecutorService thread;

    public BackgroundWorker(String threadName, Runnable task) {
        this.task = task;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the task every {@code interval} (at least 100 ms), the first time one interval from now. */
    public void start(Duration interval) {
        long millis = Math.max(100, interval.toMillis());
        thread.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs the task soon, on the worker's thread. */
    public void nudge() {
        if (queued.compareAndSet(false, true)) {
            thread.execute(() -> {
                queued.set(false);
                task.run();
            });
        }
    }

    /** Stops the thread; a running task is interrupted. */
    public void stop() {
        thread.shutdownNow();
    }
}
