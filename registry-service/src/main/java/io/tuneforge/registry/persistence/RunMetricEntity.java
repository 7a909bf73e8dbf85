package io.tuneforge.registry.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One point of a run's metric series ({@code run_metric}): the values of one optimizer step. */
@Entity
@Table(name = "run_metric")
public class RunMetricEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "run_id", nullable = false, length = 200)
    public String runId;

    @Column(nullable = false)
    public long step;

    @Column(name = "total_steps")
    public Long totalSteps;

    public Double epoch;

    @Column(name = "train_loss")
    public Double trainLoss;

    /** Null unless the eval split was measured at this step. */
    @Column(name = "eval_loss")
    public Double evalLoss;

    @Column(name = "learning_rate")
    public Double learningRate;

    @Column(name = "grad_norm")
    public Double gradNorm;

    @Column(name = "tokens_per_second")
    public Double tokensPerSecond;

    public Double progress;

    @Column(name = "eta_seconds")
    public Double etaSeconds;

    /** Time of the progress event these values come from. */
    @Column(nullable = false)
    public Instant time;
}
