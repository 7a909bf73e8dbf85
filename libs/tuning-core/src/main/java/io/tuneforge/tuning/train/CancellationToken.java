package io.tuneforge.tuning.train;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A request to stop a run, settable from any thread. The trainer looks at it after every
 * optimizer step; when set it finishes that step, writes a checkpoint and returns (so the run can
 * be resumed), reporting the reason.
 */
public final class CancellationToken {

    private final AtomicReference<String> reason = new AtomicReference<>();

    /** Asks the run to stop after its current step; later calls keep the first reason. */
    public void cancel(String why) {
        reason.compareAndSet(null, why == null || why.isBlank() ? "cancelled" : why);
    }

    public boolean isCancelled() {
        return reason.get() != null;
    }

    /** Why the run was asked to stop, or null. */
    public String reason() {
        return reason.get();
    }
}
