package io.tuneforge.trainer.coordination;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of every run as the run log tells it, built by applying its records in log order. Every replica holds
 * one; because all of them apply the same records in the same order, they agree on every verdict — that is what
 * makes a claim exclusive without a lock service or conditional writes in the object store.
 * <ol>
 *   <li>{@code enqueued}: the run exists and waits (a second enqueue changes nothing).</li>
 *   <li>{@code claimed} epoch E: accepted only for an unfinished run whose last accepted epoch is E − 1. Of two
 *       replicas that claim at once, the first record in the log wins; the second sees its claim rejected.</li>
 *   <li>{@code released}: accepted from the current holder; the run waits again.</li>
 *   <li>{@code cancel-requested}: accepted once per unfinished run; its holder (or the next claimer) stops it.</li>
 *   <li>{@code finished}: accepted only from the current, unreleased holder, once. So a replica that lost its claim
 *       (it stalled, its lease expired and another replica claimed the run) cannot finish it: exactly one terminal
 *       event per run.</li>
 *   <li>{@code published}: the terminal event was sent.</li>
 * </ol>
 * Thread-safe: one thread applies, any thread reads.
 */
public final class RunLedger {

    /** Whether a record changed the ledger, and if not, why. */
    public record Verdict(boolean accepted, String reason) {

        static Verdict accept() {
            return new Verdict(true, null);
        }

        static Verdict reject(String reason) {
            return new Verdict(false, reason);
        }
    }

    private final Map<String, RunEntry> runs = new HashMap<>();
    private long enqueues;

    /** Applies the next record of the log. */
    public synchronized Verdict apply(RunLogEntry e) {
        RunEntry run = runs.get(e.runId());
        if (e.kind() == RunLogEntry.Kind.ENQUEUED) {
            if (run != null) {
                return Verdict.reject("run " + e.runId() + " is already enqueued");
            }
            runs.put(e.runId(), RunEntry.enqueued(e.runId(), enqueues++, e.at()));
            return Verdict.accept();
        }
        if (run == null) {
            return Verdict.reject("run " + e.runId() + " was never enqueued in the run log");
        }
        if (run.isFinished() && e.kind() != RunLogEntry.Kind.PUBLISHED) {
            return Verdict.reject("run " + e.runId() + " already finished as " + run.status().wireName());
        }
        switch (e.kind()) {
            case CLAIMED -> {
                if (e.epoch() != run.epoch() + 1) {
                    return Verdict.reject("claim of epoch " + e.epoch() + " by " + e.worker() + " comes after epoch "
                            + run.epoch() + " was claimed by " + (run.holder() == null ? "nobody" : run.holder()
                            .worker()) + "; a claim must name epoch " + (run.epoch() + 1));
                }
                runs.put(e.runId(), run.withClaim(Claim.of(e)));
                return Verdict.accept();
            }
            case RELEASED -> {
                Optional<String> notHolder = notHolder(run, e);
                if (notHolder.isPresent()) {
                    return Verdict.reject(notHolder.get());
                }
                runs.put(e.runId(), run.withReleased());
                return Verdict.accept();
            }
            case CANCEL_REQUESTED -> {
                if (run.cancelReason() != null) {
                    return Verdict.reject("a cancel of run " + e.runId() + " was already requested: "
                            + run.cancelReason());
                }
                runs.put(e.runId(), run.withCancel(e.reason() == null || e.reason().isBlank()
                        ? "cancelled on request" : e.reason()));
                return Verdict.accept();
            }
            case FINISHED -> {
                Optional<String> notHolder = notHolder(run, e);
                if (notHolder.isPresent()) {
                    return Verdict.reject(notHolder.get());
                }
                if (e.status() == null || !e.status().isTerminal()) {
                    return Verdict.reject("a finish needs status succeeded, failed or cancelled, got " + e.status());
                }
                runs.put(e.runId(), run.withFinish(e.status(), e.event(), e.at()));
                return Verdict.accept();
            }
            case PUBLISHED -> {
                if (!run.isFinished() || run.published()) {
                    return Verdict.reject(run.isFinished() ? "already published" : "run " + e.runId()
                            + " has not finished");
                }
                runs.put(e.runId(), run.withPublished());
                return Verdict.accept();
            }
            default -> throw new IllegalStateException("unhandled run log kind " + e.kind());
        }
    }

    /** Empty when {@code e} comes from the current, unreleased holder of {@code run}; else why not. */
    private static Optional<String> notHolder(RunEntry run, RunLogEntry e) {
        Claim holder = run.holder();
        if (holder == null || !holder.claimId().equals(e.claimId()) || holder.epoch() != e.epoch()) {
            return Optional.of(e.worker() + " (epoch " + e.epoch() + ") no longer holds run " + e.runId()
                    + "; the current claim is " + (holder == null ? "none" : "epoch " + holder.epoch() + " by "
                    + holder.worker()));
        }
        if (run.released()) {
            return Optional.of("run " + e.runId() + " was already released by " + holder.worker());
        }
        return Optional.empty();
    }

    public synchronized Optional<RunEntry> get(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    /** Unfinished runs in enqueue order (first in, first out). */
    public synchronized List<RunEntry> unfinished() {
        List<RunEntry> open = new ArrayList<>();
        for (RunEntry run : runs.values()) {
            if (!run.isFinished()) {
                open.add(run);
            }
        }
        open.sort(Comparator.comparingLong(RunEntry::order));
        return open;
    }

    /** Finished runs whose terminal event is not known to be published. */
    public synchronized List<RunEntry> unpublished() {
        return runs.values().stream().filter(r -> r.isFinished() && !r.published())
                .sorted(Comparator.comparingLong(RunEntry::order)).toList();
    }

    /** How many runs are waiting, held, and finished with each status. */
    public synchronized Map<String, Long> countsByStatus() {
        Map<String, Long> counts = new HashMap<>();
        for (RunEntry run : runs.values()) {
            String status = run.isFinished() ? run.status().wireName() : run.isWaiting() ? "queued" : "running";
            counts.merge(status, 1L, Long::sum);
        }
        return counts;
    }
}
