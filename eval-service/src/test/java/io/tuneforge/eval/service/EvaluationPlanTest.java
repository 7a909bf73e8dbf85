package io.tuneforge.eval.service;

import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingRequests;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which tuned side the automatic evaluation of a finished run loads. */
class EvaluationPlanTest {

    private static final TrainingRequest REQUEST = TrainingRequests.parse("{\"runId\":\"r1\","
            + "\"baseModel\":\"s3://tuneforge/models/tiny/\",\"dataset\":{\"id\":\"d\",\"version\":1}}").request();
    private static final ArtifactRef ADAPTER = new ArtifactRef("s3://tuneforge/runs/r1/adapter/", null, 0);
    private static final ArtifactRef MERGED = new ArtifactRef("s3://tuneforge/runs/r1/merged/", null, 0);

    @Test
    void aLoraRunWithAMergedExportIsEvaluatedThroughItsAdapterOnly() {
        EvaluationPlan plan = EvaluationPlan.of(completed(ADAPTER, MERGED));
        assertEquals(ADAPTER.uri(), plan.adapterUri());
        assertNull(plan.tunedModelUri(), "the merged copy would be a second full model in memory");
    }

    @Test
    void aFullFineTuneIsEvaluatedThroughItsModel() {
        EvaluationPlan plan = EvaluationPlan.of(completed(null, MERGED));
        assertNull(plan.adapterUri());
        assertEquals(MERGED.uri(), plan.tunedModelUri());
    }

    private static TrainingCompleted completed(ArtifactRef adapter, ArtifactRef model) {
        return new TrainingCompleted(1, "r1", REQUEST, adapter, model, null, Map.of(), 0, 1, 1.0);
    }
}
