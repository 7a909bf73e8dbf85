package io.tuneforge.contracts.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectKeysTest {

    @Test
    void datasetLayout() {
        assertEquals("datasets/ds-1/", ObjectKeys.datasetPrefix("ds-1"));
        assertEquals("datasets/ds-1/v3/", ObjectKeys.datasetVersionPrefix("ds-1", 3));
        assertEquals("datasets/ds-1/v3/train.jsonl", ObjectKeys.datasetFile("ds-1", 3, ObjectKeys.TRAIN_FILE));
        assertEquals("datasets/ds-1/v3/eval.jsonl", ObjectKeys.datasetFile("ds-1", 3, ObjectKeys.EVAL_FILE));
        assertEquals("datasets/ds-1/v3/rejected.jsonl", ObjectKeys.datasetFile("ds-1", 3, ObjectKeys.REJECTED_FILE));
        assertEquals("datasets/ds-1/v3/manifest.json", ObjectKeys.datasetManifest("ds-1", 3));
    }

    @Test
    void modelRunAndEvalLayout() {
        assertEquals("models/qwen2.5-0.5b-instruct/", ObjectKeys.modelPrefix("qwen2.5-0.5b-instruct"));
        assertEquals("runs/run_7/", ObjectKeys.runPrefix("run_7"));
        assertEquals("runs/run_7/request.json", ObjectKeys.runRequest("run_7"));
        assertEquals("runs/run_7/state.json", ObjectKeys.runState("run_7"));
        assertEquals("runs/run_7/metrics.jsonl", ObjectKeys.runMetrics("run_7"));
        assertEquals("runs/run_7/checkpoints/", ObjectKeys.runCheckpointsPrefix("run_7"));
        assertEquals("runs/run_7/checkpoints/step-0/", ObjectKeys.runCheckpoint("run_7", 0));
        assertEquals("runs/run_7/checkpoints/step-1200/", ObjectKeys.runCheckpoint("run_7", 1200));
        assertEquals("runs/run_7/adapter/", ObjectKeys.runAdapter("run_7"));
        assertEquals("runs/run_7/merged/", ObjectKeys.runMerged("run_7"));
        assertEquals("runs/run_7/export/model-q8_0.gguf", ObjectKeys.runGguf("run_7", "q8_0"));
        assertEquals("evals/e1/report.json", ObjectKeys.evalReport("e1"));
        assertEquals("evals/e1/samples.jsonl", ObjectKeys.evalSamples("e1"));
        assertEquals("s3://tuneforge/runs/run_7/adapter/", ObjectKeys.uri(ObjectKeys.DEFAULT_BUCKET,
                ObjectKeys.runAdapter("run_7")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", ".hidden", "a/b", "/abs", "a\\b", "", " ", "has space", "ünï", "a\nb"})
    void refusesIdsThatAreNotOneSafeSegment(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObjectKeys.runPrefix(bad));
        assertEquals("run id '" + bad + "' is not a valid id: use 1-128 letters, digits, '.', '_' or '-',"
                + " not starting with '.'", e.getMessage());
        assertFalse(ObjectKeys.isValidId(bad));
    }

    @Test
    void refusesNullAndOverlongIds() {
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.datasetPrefix(null));
        assertTrue(ObjectKeys.isValidId("a".repeat(128)));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.evalPrefix("a".repeat(129)));
    }

    @Test
    void refusesTraversalInEveryKeyBuilder() {
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.datasetManifest("..", 1));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.modelPrefix("../etc"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.runGguf("r", "../q8_0"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.evalSamples("e/1"));
    }

    @Test
    void refusesVersionZeroAndNegativeSteps() {
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> ObjectKeys.datasetVersionPrefix("ds", 0));
        assertEquals("dataset version 0 is not valid: versions start at 1", v.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> ObjectKeys.runCheckpoint("r", -1));
        assertEquals("checkpoint step -1 is negative", s.getMessage());
    }

    @Test
    void acceptsTheIdsThePlatformGenerates() {
        assertTrue(ObjectKeys.isValidId("0b6f3c1e-8a7d-4f4e-9d7a-2c1b3e4f5a6b"));
        assertTrue(ObjectKeys.isValidId("qwen2.5-0.5b-instruct-tuned"));
        assertTrue(ObjectKeys.isValidId("_tmp"));
        assertTrue(ObjectKeys.isValidId("-x"));
    }
}
