package io.tuneforge.registry.persistence;

import io.tuneforge.contracts.training.TrainingStatus;

/**
 * Which runs a search returns; every null field matches all runs.
 *
 * @param status         runs in this status
 * @param modelName      runs filed under this registered model name
 * @param datasetId      runs that train on this dataset
 * @param datasetVersion with {@code datasetId}: on this version of it
 * @param text           runs whose id contains this text (case-insensitive)
 */
public record RunFilter(TrainingStatus status, String modelName, String datasetId, Integer datasetVersion,
                        String text) {

    public static final RunFilter ALL = new RunFilter(null, null, null, null, null);
}
