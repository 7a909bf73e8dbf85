package io.tuneforge.contracts.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.contracts.training.TrainingCheckpointed;
import io.tuneforge.contracts.training.TrainingRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequiredFieldsTest {

    private static JsonNode tree(String json) throws Exception {
        return Json.mapper().readTree(json);
    }

    @Test
    void absentNullAndBlankCountAsMissing() throws Exception {
        assertEquals(List.of("runId"), RequiredFields.missing(TrainingCancelRequested.class, tree("{}")));
        assertEquals(List.of("runId"), RequiredFields.missing(TrainingCancelRequested.class, tree("{\"runId\": null}")));
        assertEquals(List.of("runId"), RequiredFields.missing(TrainingCancelRequested.class, tree("{\"runId\": \"  \"}")));
        assertEquals(List.of(), RequiredFields.missing(TrainingCancelRequested.class, tree("{\"runId\": \"r1\"}")));
    }

    @Test
    void absentPrimitiveIsMissingEvenThoughItWouldBindAsZero() throws Exception {
        assertEquals(List.of("step"), RequiredFields.missing(TrainingCheckpointed.class,
                tree("{\"runId\": \"r1\", \"checkpoint\": {\"uri\": \"s3://b/k/\"}}")));
    }

    @Test
    void nestedRecordsAreCheckedWherePresentWithDottedPaths() throws Exception {
        assertEquals(List.of("step", "checkpoint.uri"), RequiredFields.missing(TrainingCheckpointed.class,
                tree("{\"runId\": \"r1\", \"checkpoint\": {\"sha256\": \"ab\"}}")));
        assertEquals(List.of("source.version", "operations"), RequiredFields.missing(AugmentationRequested.class,
                tree("{\"jobId\": \"j\", \"source\": {\"datasetId\": \"d\"}}")));
    }

    @Test
    void objectFormSkipsPrimitivesButSeesNullsAndNestedRecords() {
        DatasetPrepared p = new DatasetPrepared(1, "", 0, null, new ArtifactRef(null, null, -1), null, null,
                ArtifactRef.prefix("s3://b/m.json"), null, null, null);
        assertEquals(List.of("datasetId", "format", "train.uri"), RequiredFields.missing(p));
    }

    @Test
    void describeNamesEveryMissingField() {
        assertEquals("TrainingCancelRequested is missing required field 'runId'",
                RequiredFields.describe(TrainingCancelRequested.class, List.of("runId")));
        assertEquals("DatasetPrepared is missing required fields 'datasetId', 'train.uri'",
                RequiredFields.describe(DatasetPrepared.class, List.of("datasetId", "train.uri")));
    }

    @Test
    void trainingRequestFieldsAreNotRequiredBecauseTheValidatorAnswersThem() {
        for (RecordComponent c : TrainingRequest.class.getRecordComponents()) {
            assertTrue(!c.isAnnotationPresent(Required.class), "TrainingRequest." + c.getName() + " is @Required");
        }
    }

    @Test
    void everyEventPayloadRequiresItsAggregateId() {
        for (EventType type : EventType.values()) {
            if (type == EventType.TRAINING_REQUESTED) {
                continue;
            }
            boolean any = Arrays.stream(type.payloadClass().getRecordComponents())
                    .anyMatch(c -> c.isAnnotationPresent(Required.class)
                            && List.of("runId", "datasetId", "jobId", "evalId", "modelName").contains(c.getName()));
            assertTrue(any, type.payloadClass().getSimpleName() + " has no @Required aggregate id");
        }
    }
}
