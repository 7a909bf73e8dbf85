package io.tuneforge.contracts.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.event.PayloadExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.tuneforge.contracts.training.RequestTrees.bind;
import static io.tuneforge.contracts.training.RequestTrees.valid;
import static io.tuneforge.contracts.training.RequestTrees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingRequestValidatorTest {

    /**
     * One rule: setting {@code path} to {@code bad} gives exactly one error, at {@code errorPath}, whose reason contains
     * {@code reason}; setting it to {@code good} gives none.
     */
    record Rule(String path, Object bad, Object good, String errorPath, String reason) {
        Rule(String path, Object bad, Object good, String reason) {
            this(path, bad, good, path, reason);
        }

        @Override
        public String toString() {
            return path + "=" + bad;
        }
    }

    static Stream<Rule> rules() {
        Map<String, String> tooMany = new LinkedHashMap<>();
        IntStream.range(0, 65).forEach(i -> tooMany.put("k" + i, "v"));
        Map<String, String> justEnough = new LinkedHashMap<>(tooMany);
        justEnough.remove("k64");
        return Stream.of(
                new Rule("schemaVersion", 2, 1, "expected 1 (the newest request version this build reads), got 2"),
                new Rule("runId", "run 1", "run-1", "expected 1-128 letters, digits, '.', '_' or '-', not starting with '.', got \"run 1\""),
                new Rule("modelName", "../x", "my-model", "got \"../x\""),
                new Rule("baseModel", null, "s3://tuneforge/models/x/", "expected an s3://bucket/prefix/ URI or a local model directory path, got nothing"),
                new Rule("baseModel", "hf://Qwen/Qwen2.5-0.5B", "/models/tiny", "s3:// is the only URI scheme read), got \"hf://Qwen/Qwen2.5-0.5B\""),
                new Rule("baseModel", "s3://Bad_Bucket/models/x/", "s3://bucket.with-dots/x", "got \"s3://Bad_Bucket/models/x/\""),
                new Rule("baseModel", "s3://tuneforge", "s3://tuneforge/m", "non-empty prefix"),
                new Rule("baseModel", "s3://tuneforge/models/../secrets/", "s3://tuneforge/models/a..b/", "without '..'"),
                new Rule("baseModel", "  ", "models/tiny", "got \"  \""),
                new Rule("dataset", null, Map.of("path", "train.jsonl"), "got nothing"),
                new Rule("dataset", Map.of("id", "ds", "version", 1, "path", "train.jsonl"), Map.of("id", "ds", "version", 1),
                        "expected either id + version or path, got both id \"ds\" and path \"train.jsonl\""),
                new Rule("dataset", Map.of("evalPath", "eval.jsonl"), Map.of("path", "t.jsonl", "evalPath", "eval.jsonl"),
                        "got neither id nor path"),
                new Rule("dataset.id", "ds/1", "ds-1", "got \"ds/1\""),
                new Rule("dataset.version", 0, 1, "expected a positive integer, got 0"),
                new Rule("dataset.version", null, 7, "expected a positive integer (the version of dataset \"ds-1\" to train on), got nothing"),
                new Rule("dataset", Map.of("path", "t.jsonl", "version", 2), Map.of("path", "t.jsonl"), "dataset.version",
                        "expected no version with dataset.path"),
                new Rule("dataset", Map.of("path", " "), Map.of("path", "data/t.jsonl"), "dataset.path", "expected the path of a JSONL file, got \" \""),
                new Rule("dataset.evalPath", "eval.jsonl", null, "expected no evalPath with dataset.id"),
                new Rule("lora.r", 0, 1, "expected an integer from 1 to 1024, got 0"),
                new Rule("lora.r", 1025, 1024, "got 1025"),
                new Rule("lora.alpha", 0, 0.5, "expected a positive number, got 0.0"),
                new Rule("lora.dropout", 1.0, 0.0, "expected a number from 0 up to but not including 1, got 1.0"),
                new Rule("lora.dropout", -0.1, 0.99, "got -0.1"),
                new Rule("lora.targetModules", List.of(), List.of("q_proj"), "expected at least one of q_proj, k_proj"),
                new Rule("lora.targetModules", List.of("q_proj", "qproj"), List.of("q_proj", "k_proj"), "lora.targetModules[1]",
                        "expected one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, got \"qproj\"; did you mean \"q_proj\"?"),
                new Rule("lora.targetModules", List.of("v_proj", "q_proj", "v_proj"), List.of("v_proj", "q_proj"), "lora.targetModules[2]",
                        "expected each module once, got \"v_proj\" again (first at [0])"),
                new Rule("quantization.type", "int8", "nf4", "expected one of nf4, got \"int8\""),
                new Rule("hyperparameters.epochs", 0, 1, "expected a positive integer up to 1000, got 0"),
                new Rule("hyperparameters.epochs", 1001, 1000, "got 1001"),
                new Rule("hyperparameters.learningRate", 0, 1.0, "expected a number greater than 0 and at most 1, got 0.0"),
                new Rule("hyperparameters.learningRate", 1.5, 2e-4, "got 1.5"),
                new Rule("hyperparameters.batchSize", 0, 4096, "expected a positive integer up to 4096, got 0"),
                new Rule("hyperparameters.batchSize", 4097, 1, "got 4097"),
                new Rule("hyperparameters.gradientAccumulation", 0, 1, "expected a positive integer, got 0"),
                new Rule("hyperparameters.maxSeqLength", 7, 8, "expected an integer from 8 to 131072, got 7"),
                new Rule("hyperparameters.maxSeqLength", 131073, 131072, "got 131073"),
                new Rule("hyperparameters.warmupRatio", 1.0, 0.0, "expected a number from 0 up to but not including 1, got 1.0"),
                new Rule("hyperparameters.warmupRatio", -0.01, 0.5, "got -0.01"),
                new Rule("hyperparameters.warmupSteps", -1, 0, "expected a non-negative integer, got -1"),
                new Rule("hyperparameters.scheduler", "cosin", "linear",
                        "expected one of cosine, linear, constant, got \"cosin\"; did you mean \"cosine\"?"),
                new Rule("hyperparameters.weightDecay", -0.01, 0.0, "expected a non-negative number, got -0.01"),
                new Rule("hyperparameters.maxGradNorm", -1.0, 0.0, "expected a non-negative number (0 disables clipping), got -1.0"),
                new Rule("hyperparameters.beta", 0.0, 0.5, "expected a positive number, got 0.0"),
                new Rule("hyperparameters.checkpointSteps", -1, 0, "expected a non-negative integer (0 = only at the end), got -1"),
                new Rule("hyperparameters.evalSteps", -5, 100, "got -5"),
                new Rule("evaluation.metrics", List.of("rougeL", "blue"), List.of("rougeL", "bleu"), "evaluation.metrics[1]",
                        "got \"blue\"; did you mean \"bleu\"?"),
                new Rule("evaluation.metrics", List.of("bleu", "bleu"), List.of("bleu"), "evaluation.metrics[1]",
                        "expected each metric once, got \"bleu\" again (first at [0])"),
                new Rule("evaluation.metrics", List.of(), List.of("perplexity"), "expected at least one of rougeL"),
                new Rule("evaluation.maxSamples", 0, 1, "expected a positive integer, got 0"),
                new Rule("export.gguf", "q4_0", "f16", "expected one of f32, f16, q8_0, got \"q4_0\""),
                new Rule("metadata", tooMany, justEnough, "expected at most 64 entries, got 65"),
                new Rule("metadata", Map.of("k".repeat(257), "v"), Map.of("k".repeat(256), "v"), "expected keys of 1 to 256 characters"),
                new Rule("metadata", Map.of("team", "v".repeat(257)), Map.of("team", "v".repeat(256)), "metadata.team",
                        "expected a string of at most 256 characters, got"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void badValueGivesOneErrorAtItsPathAndGoodValueNone(Rule rule) {
        List<FieldError> bad = TrainingRequestValidator.validate(bind(with(valid(), rule.path(), rule.bad())));
        assertEquals(1, bad.size(), rule + " gave " + bad);
        assertEquals(rule.errorPath(), bad.get(0).path());
        assertTrue(bad.get(0).reason().contains(rule.reason()), bad.get(0).reason());

        List<FieldError> good = TrainingRequestValidator.validate(bind(with(valid(), rule.path(), rule.good())));
        assertEquals(List.of(), good, rule.path() + "=" + rule.good());
    }

    @Test
    void validBaseRequestAndFullExampleHaveNoErrors() {
        assertEquals(List.of(), TrainingRequestValidator.validate(bind(valid())));
        assertEquals(List.of(), TrainingRequestValidator.validate(PayloadExamples.fullRequest()));
    }

    @Test
    void fiveBadFieldsGiveFiveErrors() {
        ObjectNode tree = valid();
        with(tree, "hyperparameters.epochs", 0);
        with(tree, "hyperparameters.learningRate", 2.0);
        with(tree, "lora.r", 4096);
        with(tree, "dataset.version", -1);
        with(tree, "export.gguf", "q2_k");
        List<FieldError> errors = TrainingRequestValidator.validate(bind(tree));
        assertEquals(List.of("dataset.version", "lora.r", "hyperparameters.epochs", "hyperparameters.learningRate",
                "export.gguf"), errors.stream().map(FieldError::path).toList(), errors.toString());
    }

    @Test
    void loraSectionWithFullFineTuningIsAnError() {
        ObjectNode tree = with(with(valid(), "adapter", "none"), "quantization", null);
        List<FieldError> errors = TrainingRequestValidator.validate(bind(tree));
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("lora", errors.get(0).path());
        assertTrue(errors.get(0).reason().startsWith("expected no lora section with adapter \"none\""));
        assertEquals(List.of(), TrainingRequestValidator.validate(bind(with(tree, "lora", null))));
    }

    @Test
    void quantizationOnlyWithQlora() {
        List<FieldError> withLora = TrainingRequestValidator.validate(bind(with(valid(), "adapter", "lora")));
        assertEquals(List.of(new FieldError("quantization",
                "expected no quantization section unless adapter is \"qlora\", got adapter \"lora\"")), withLora);
        List<FieldError> byDefault = TrainingRequestValidator.validate(bind(with(valid(), "adapter", null)));
        assertEquals("expected no quantization section unless adapter is \"qlora\", got adapter \"lora\" (the default)",
                byDefault.get(0).reason());
        ObjectNode none = with(with(valid(), "adapter", "none"), "lora", null);
        assertEquals("quantization", TrainingRequestValidator.validate(bind(none)).get(0).path());
    }

    @Test
    void preferenceMethodsGoWithEveryAdapter() {
        for (String method : List.of("sft", "dpo", "orpo")) {
            for (String adapter : List.of("lora", "qlora", "none")) {
                ObjectNode tree = with(with(valid(), "method", method), "adapter", adapter);
                if (!adapter.equals("qlora")) {
                    with(tree, "quantization", null);
                }
                if (adapter.equals("none")) {
                    with(tree, "lora", null);
                }
                assertEquals(List.of(), TrainingRequestValidator.validate(bind(tree)), method + "/" + adapter);
            }
        }
    }

    @Test
    void emptyMetricsAreFineWhenEvaluationIsDisabled() {
        ObjectNode tree = with(with(valid(), "evaluation.metrics", List.of()), "evaluation.enabled", false);
        assertEquals(List.of(), TrainingRequestValidator.validate(bind(tree)));
    }

    @Test
    void nullRequestIsOneErrorAtTheRoot() {
        assertEquals(List.of(new FieldError("$", "expected a training request object, got nothing")),
                TrainingRequestValidator.validate(null));
    }

    @Test
    void notANumberIsOutOfEveryRange() {
        Hyperparameters h = new Hyperparameters(null, Double.NaN, null, null, null, Double.POSITIVE_INFINITY, null,
                null, null, null, null, null, null, null, null, null);
        TrainingRequest r = bind(valid());
        r = new TrainingRequest(1, null, null, r.baseModel(), r.dataset(), null, null, null, null, h, null, null, null);
        assertEquals(List.of("hyperparameters.learningRate", "hyperparameters.warmupRatio"),
                TrainingRequestValidator.validate(r).stream().map(FieldError::path).toList());
    }

    @Test
    void defaultsAlwaysPass() {
        for (AdapterType adapter : AdapterType.values()) {
            TrainingRequest r = new TrainingRequest(0, null, null, "/models/tiny", DatasetSpec.local("t.jsonl", null),
                    null, adapter, null, null, null, null, null, null).withDefaults();
            assertEquals(List.of(), TrainingRequestValidator.validate(r), adapter.toString());
        }
    }
}
