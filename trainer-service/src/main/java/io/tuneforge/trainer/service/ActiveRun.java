package io.tuneforge.trainer.service;

import io.tuneforge.trainer.coordination.Claim;
import io.tuneforge.tuning.train.CancellationToken;

/**
 * A run this replica holds: its claim, the token that stops its training after the current step, and whether it
 * may still speak for the run. A run is lost when the run log shows another replica's claim of it (this replica
 * stalled past its lease): from then on nothing of this attempt is uploaded or published.
 */
public final class ActiveRun {

    /** Cancel reason used when this replica shuts down: the run is handed back, not cancelled. */
    public static final String SHUTDOWN = "the replica is shutting down; the run is handed to another replica";

    private final Claim claim;
    private final boolean cancelOnly;
    private final CancellationToken token = new CancellationToken();
    private volatile String lostReason;
    private volatile boolean shuttingDown;

    public ActiveRun(Claim claim, boolean cancelOnly) {
        this.claim = claim;
        this.cancelOnly = cancelOnly;
    }

    public Claim claim() {
        return claim;
    }

    public String runId() {
        return claim.runId();
    }

    /** Claimed only to end it as cancelled (a cancel came while it waited or its holder died): no training slot. */
    public boolean cancelOnly() {
        return cancelOnly;
    }

    public CancellationToken token() {
        return token;
    }

    /** Another replica owns the run now; stop and say nothing. */
    public void lose(String reason) {
        lostReason = reason;
        token.cancel("lost the run: " + reason);
    }

    public boolean isLost() {
        return lostReason != null;
    }

    public String lostReason() {
        return lostReason;
    }

    /** Stop after the current step, upload the checkpoint and hand the run back. */
    public void handBack() {
        shuttingDown = true;
        token.cancel(SHUTDOWN);
    }

    public boolean isHandedBack() {
        return shuttingDown;
    }
}
