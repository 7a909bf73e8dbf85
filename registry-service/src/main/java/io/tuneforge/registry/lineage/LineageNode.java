package io.tuneforge.registry.lineage;

import java.time.Instant;

/**
 * One node of a lineage graph.
 *
 * @param id     unique in the graph: {@code dataset:{id}/v{n}}, {@code run:{runId}}, {@code version:{model}/{n}},
 *               {@code evaluation:{evalId}}
 * @param kind   dataset-version, run, model-version or evaluation
 * @param label  short text for a person
 * @param status the run's, version's or evaluation's status; null for dataset versions
 * @param link   the UI page about it
 * @param time   when it came to be
 */
public record LineageNode(String id, String kind, String label, String status, String link, Instant time) {

    public static final String DATASET_VERSION = "dataset-version";
    public static final String RUN = "run";
    public static final String MODEL_VERSION = "model-version";
    public static final String EVALUATION = "evaluation";
}
