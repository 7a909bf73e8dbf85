package io.tuneforge.eval.service;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One evaluation at a time per replica: admitted plans queue for a single worker thread (model memory and the CPU
 * are the limits, not Kafka partitions). The same evaluation asked for twice while queued or running runs once.
 * Consumers wait for the outcome before acknowledging their record, so a replica that dies mid-evaluation leaves
 * the record to be delivered again; the REST API does not wait.
 */
@ApplicationScoped
public class EvaluationWorker {

    private static final int KEEP_STATUSES = 1000;

    private final EvaluationRunner runner;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "evaluation-worker");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<EvaluationStatus>> inFlight = new LinkedHashMap<>();
    private final Map<String, EvaluationStatus> statuses = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, EvaluationStatus> eldest) {
            return size() > KEEP_STATUSES;
        }
    };

    public EvaluationWorker(EvaluationRunner runner) {
        this.runner = runner;
    }

    /** Queues {@code plan} (or joins the run of the same evaluation id already queued or running). */
    public synchronized CompletableFuture<EvaluationStatus> submit(EvaluationPlan plan) {
        CompletableFuture<EvaluationStatus> running = inFlight.get(plan.evalId());
        if (running != null) {
            return running;
        }
        statuses.put(plan.evalId(), EvaluationStatus.of(plan.evalId(), EvaluationStatus.QUEUED));
        CompletableFuture<EvaluationStatus> future = CompletableFuture.supplyAsync(() -> {
            update(EvaluationStatus.of(plan.evalId(), EvaluationStatus.RUNNING));
            EvaluationStatus outcome = runner.run(plan);
            update(outcome);
            return outcome;
        }, thread);
        inFlight.put(plan.evalId(), future);
        future.whenComplete((status, error) -> {
            synchronized (this) {
                inFlight.remove(plan.evalId());
                if (error != null) {
                    statuses.put(plan.evalId(), EvaluationStatus.failed(plan.evalId(),
                            EvaluationRunner.EVALUATION_ERROR, String.valueOf(error)));
                }
            }
        });
        return future;
    }

    /** The latest state of an evaluation handled by this replica since it started. */
    public synchronized Optional<EvaluationStatus> status(String evalId) {
        return Optional.ofNullable(statuses.get(evalId));
    }

    private synchronized void update(EvaluationStatus status) {
        statuses.put(status.evalId(), status);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
