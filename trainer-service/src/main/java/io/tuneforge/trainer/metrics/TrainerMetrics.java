package io.tuneforge.trainer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.trainer.coordination.RunLog;
import io.tuneforge.trainer.service.ActiveRuns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The trainer's Prometheus metrics ({@code /q/metrics}):
 * <pre>
 * tuneforge_trainer_runs{status}                 runs by status as the run log tells it (every replica, same numbers):
 *                                                queued, running, succeeded, failed, cancelled
 * tuneforge_trainer_queue_depth                  runs waiting for a replica (queued or handed back)
 * tuneforge_trainer_active_runs                  runs this replica holds
 * tuneforge_trainer_runs_finished_total{status}  runs this replica finished, by status
 * tuneforge_trainer_step_seconds                 wall time of each optimizer step (summary + max)
 * tuneforge_trainer_tokens_per_second            tokens/s of this replica's last step
 * tuneforge_trainer_trained_tokens_total         target tokens this replica trained on
 * </pre>
 */
@ApplicationScoped
public class TrainerMetrics {

    private static final List<String> STATUSES = List.of("queued", "running", "succeeded", "failed", "cancelled");

    private final MeterRegistry registry;
    private final RunLog log;
    private final ActiveRuns active;
    private final AtomicReference<Double> tokensPerSecond = new AtomicReference<>(0.0);
    private Timer stepTime;
    private Counter trainedTokens;

    public TrainerMetrics(MeterRegistry registry, RunLog log, ActiveRuns active) {
        this.registry = registry;
        this.log = log;
        this.active = active;
    }

    void onStart(@Observes StartupEvent event) {
        for (String status : STATUSES) {
            Gauge.builder("tuneforge.trainer.runs", log, l -> l.ledger().countsByStatus().getOrDefault(status, 0L))
                    .description("Runs by status, as the run log tells it").tag("status", status)
                    .register(registry);
        }
        Gauge.builder("tuneforge.trainer.queue.depth", log, l -> l.ledger().countsByStatus()
                        .getOrDefault("queued", 0L))
                .description("Runs waiting for a replica").register(registry);
        Gauge.builder("tuneforge.trainer.active.runs", active, a -> a.all().size())
                .description("Runs this replica holds").register(registry);
        Gauge.builder("tuneforge.trainer.tokens.per.second", tokensPerSecond, AtomicReference::get)
                .description("Tokens per second of this replica's last optimizer step").register(registry);
        stepTime = Timer.builder("tuneforge.trainer.step").description("Wall time of an optimizer step")
                .register(registry);
        trainedTokens = Counter.builder("tuneforge.trainer.trained.tokens")
                .description("Target tokens this replica trained on").register(registry);
        for (TrainingStatus status : List.of(TrainingStatus.SUCCEEDED, TrainingStatus.FAILED,
                TrainingStatus.CANCELLED)) {
            finishedCounter(status);
        }
    }

    /** One optimizer step: its wall time, throughput and target tokens. */
    public void step(double seconds, double tokensPerSec, long targetTokens) {
        if (stepTime != null) {
            stepTime.record(Duration.ofNanos((long) (seconds * 1e9)));
            trainedTokens.increment(targetTokens);
        }
        tokensPerSecond.set(tokensPerSec);
    }

    public void finished(TrainingStatus status) {
        finishedCounter(status).increment();
    }

    private Counter finishedCounter(TrainingStatus status) {
        return Counter.builder("tuneforge.trainer.runs.finished").description("Runs this replica finished")
                .tag("status", status.wireName()).register(registry);
    }
}
