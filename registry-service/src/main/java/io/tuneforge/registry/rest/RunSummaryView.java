package io.tuneforge.registry.rest;

import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.persistence.RunEntity;

import java.time.Instant;

/**
 * A run in a list.
 *
 * @param dataset    the dataset version it trains on; null for local data or when not known yet
 * @param errorCode  TrainingErrorCode of a failed run
 * @param step       highest optimizer step reported; null before the first progress event
 * @param totalSteps steps planned
 * @param progress   share of planned steps done, 0..1
 * @param etaSeconds estimated seconds left
 * @param createdAt  time of its earliest event
 * @param updatedAt  time of its latest event
 */
public record RunSummaryView(String runId, TrainingStatus status, String modelName, String baseModel,
                             DatasetVersionRef dataset, String errorCode, Long step, Long totalSteps,
                             Double progress, Double etaSeconds, Instant createdAt, Instant updatedAt) {

    public static RunSummaryView from(RunEntity run) {
        return new RunSummaryView(run.runId, run.status, run.modelName, run.baseModel, dataset(run), run.errorCode,
                run.step, run.totalSteps, run.progress, run.etaSeconds, run.createdAt, run.updatedAt);
    }

    static DatasetVersionRef dataset(RunEntity run) {
        return run.datasetId == null || run.datasetVersion == null
                ? null : new DatasetVersionRef(run.datasetId, run.datasetVersion);
    }
}
