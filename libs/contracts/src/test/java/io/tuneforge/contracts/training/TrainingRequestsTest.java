package io.tuneforge.contracts.training;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.event.PayloadExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingRequestsTest {

    private static final String BASE = "\"baseModel\": \"s3://tuneforge/models/tiny/\", \"dataset\": {\"id\": \"ds-1\", \"version\": 1}";

    private static ParsedTrainingRequest parse(String fields) {
        return TrainingRequests.parse("{" + BASE + (fields.isEmpty() ? "" : ", " + fields) + "}");
    }

    private static List<FieldError> errors(String fields) {
        return parse(fields).errors();
    }

    static String example(String name) throws IOException {
        try (InputStream in = TrainingRequestsTest.class.getResourceAsStream("/examples/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void minimalRequestIsValid() {
        ParsedTrainingRequest p = parse("");
        assertTrue(p.isValid(), p.errors().toString());
        assertEquals("s3://tuneforge/models/tiny/", p.request().baseModel());
        assertEquals(List.of(), p.warnings());
        assertNull(p.runId());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"hyperparameters\": {\"epochs\": \"three\"}   | hyperparameters.epochs       | expected a positive integer up to 1000, got \"three\"",
            "\"hyperparameters\": {\"epochs\": 3.5}         | hyperparameters.epochs       | expected a positive integer up to 1000, got 3.5",
            "\"hyperparameters\": {\"epochs\": \"3\"}       | hyperparameters.epochs       | expected a positive integer up to 1000, got \"3\"",
            "\"hyperparameters\": {\"epochs\": 1e12}        | hyperparameters.epochs       | expected a positive integer up to 1000, got 1.0E12",
            "\"hyperparameters\": {\"seed\": \"x\"}         | hyperparameters.seed         | expected an integer, got \"x\"",
            "\"hyperparameters\": {\"learningRate\": \"1e-4\"} | hyperparameters.learningRate | expected a number greater than 0 and at most 1, got \"1e-4\"",
            "\"hyperparameters\": {\"packing\": \"yes\"}    | hyperparameters.packing      | expected true or false, got \"yes\"",
            "\"hyperparameters\": {\"scheduler\": 5}        | hyperparameters.scheduler    | expected one of cosine, linear, constant, got 5",
            "\"hyperparameters\": 3                         | hyperparameters              | expected an object, got 3",
            "\"method\": \"ppo\"                            | method                       | expected one of sft, dpo, orpo, got \"ppo\"; did you mean \"dpo\"?",
            "\"method\": \"dop\"                            | method                       | expected one of sft, dpo, orpo, got \"dop\"; did you mean \"dpo\"?",
            "\"method\": 1                                  | method                       | expected one of sft, dpo, orpo, got 1",
            "\"adapter\": \"dora\"                          | adapter                      | expected one of lora, qlora, none, got \"dora\"; did you mean \"lora\"?",
            "\"lora\": \"yes\"                              | lora                         | expected an object, got \"yes\"",
            "\"lora\": {\"targetModules\": \"q_proj\"}      | lora.targetModules           | expected an array of one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, got \"q_proj\"",
            "\"lora\": {\"targetModules\": [\"q_proj\", 7]} | lora.targetModules[1]        | expected one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, got 7",
            "\"lora\": {\"r\": 8.0, \"alpha\": \"16\"}      | lora.alpha                   | expected a positive number, got \"16\"",
            "\"quantization\": {\"type\": 4}, \"adapter\": \"qlora\" | quantization.type   | expected one of nf4, got 4",
            "\"evaluation\": {\"metrics\": \"bleu\"}        | evaluation.metrics           | expected an array of one of rougeL, rouge1, rouge2, bleu, exactMatch, perplexity, rewardAccuracy, got \"bleu\"",
            "\"evaluation\": {\"enabled\": 0}               | evaluation.enabled           | expected true or false, got 0",
            "\"export\": {\"gguf\": 16}                     | export.gguf                  | expected one of f32, f16, q8_0, got 16",
            "\"metadata\": {\"team\": 5}                    | metadata.team                | expected a string of at most 256 characters, got 5",
            "\"runId\": 42                                  | runId                        | expected a string id (1-128 letters, digits, '.', '_' or '-', not starting with '.'), got 42",
            "\"schemaVersion\": \"1\"                       | schemaVersion                | expected an integer, got \"1\"",
    })
    void wrongTypeIsOneErrorWithPathValueAndWhatWouldBeRight(String fields, String path, String reason) {
        assertEquals(List.of(new FieldError(path, reason)), errors(fields));
    }

    @Test
    void wholeFloatIsAcceptedForAnInteger() {
        ParsedTrainingRequest p = parse("\"hyperparameters\": {\"epochs\": 3.0}, \"lora\": {\"r\": 8.0}");
        assertTrue(p.isValid(), p.errors().toString());
        assertEquals(3, p.request().hyperparameters().epochs());
        assertEquals(8, p.request().lora().r());
    }

    @Test
    void badFieldsAreLeftOutAndTheRestIsStillBound() {
        ParsedTrainingRequest p = parse("\"runId\": \"r-1\", \"hyperparameters\": {\"epochs\": \"three\", \"learningRate\": 0.001}");
        assertNotNull(p.request());
        assertNull(p.request().hyperparameters().epochs());
        assertEquals(0.001, p.request().hyperparameters().learningRate());
        assertEquals("r-1", p.request().runId());
    }

    @Test
    void aTypeErrorIsNotReportedAgainByTheValidator() {
        List<FieldError> errors = TrainingRequests.parse("{\"baseModel\": 5, \"dataset\": \"ds-1\"}").errors();
        assertEquals(List.of(
                new FieldError("baseModel", "expected an s3://bucket/prefix/ URI or a local model directory path, got 5"),
                new FieldError("dataset", "expected an object, got \"ds-1\"")), errors);
    }

    @Test
    void enumValuesAndRangesAreAllReportedTogether() {
        List<FieldError> errors = errors("\"method\": \"ppo\", \"adapter\": \"lora\", \"lora\": {\"targetModules\": "
                + "[\"q_proj\", 1, \"qproj\"]}, \"hyperparameters\": {\"scheduler\": \"cosin\"}, "
                + "\"evaluation\": {\"metrics\": [\"blue\"]}, \"quantization\": {\"type\": \"fp4\"}");
        assertEquals(List.of("method", "lora.targetModules[1]", "lora.targetModules[2]", "quantization",
                "hyperparameters.scheduler", "evaluation.metrics[0]"), errors.stream().map(FieldError::path).toList(),
                errors.toString());
    }

    @Test
    void fiveBadFieldsOfBothKindsGiveFiveErrors() {
        ParsedTrainingRequest p = TrainingRequests.parse("""
                {"runId": "run-5", "baseModel": "hf://meta/llama", "dataset": {"id": "ds", "version": 0},
                 "hyperparameters": {"epochs": "three", "batchSize": 0}, "export": {"gguf": "q4_k_m"}}
                """);
        assertEquals("run-5", p.runId());
        assertEquals(List.of("hyperparameters.epochs", "baseModel", "dataset.version", "hyperparameters.batchSize",
                "export.gguf"), p.errors().stream().map(FieldError::path).toList(), p.errors().toString());
        assertFalse(p.isValid());
        assertTrue(p.describeErrors().startsWith("5 invalid fields: hyperparameters.epochs: expected a positive"
                + " integer up to 1000, got \"three\"; baseModel: "), p.describeErrors());
    }

    @Test
    void runIdIsReadEvenWhenTheRestIsBad() {
        ParsedTrainingRequest p = TrainingRequests.parse("{\"runId\": \"run-9\", \"hyperparameters\": []}");
        assertEquals("run-9", p.runId());
        assertEquals(List.of("hyperparameters", "baseModel", "dataset"),
                p.errors().stream().map(FieldError::path).toList());
    }

    @Test
    void invalidRunIdIsReportedAndNotReturned() {
        ParsedTrainingRequest p = parse("\"runId\": \"../../etc\"");
        assertNull(p.runId(), "a failure must not be filed under a path-like id");
        assertEquals("runId", p.errors().get(0).path());
    }

    @Test
    void notJsonIsOneRootErrorWithoutARequest() {
        ParsedTrainingRequest p = TrainingRequests.parse("{\"baseModel\": ");
        assertNull(p.request());
        assertNull(p.runId());
        assertEquals(1, p.errors().size());
        assertEquals("$", p.errors().get(0).path());
        assertTrue(p.errors().get(0).reason().startsWith("expected a JSON object, got invalid JSON at line 1, column"),
                p.errors().get(0).reason());
    }

    @Test
    void trailingGarbageIsNotJson() {
        ParsedTrainingRequest p = TrainingRequests.parse("{" + BASE + "} {\"x\": 1}");
        assertNull(p.request());
        assertTrue(p.errors().get(0).reason().startsWith("expected a JSON object, got invalid JSON"));
    }

    @Test
    void emptyAndNonObjectDocumentsAreRefused() {
        assertEquals(List.of(new FieldError("$", "expected a JSON object, got an empty document")),
                TrainingRequests.parse(" ").errors());
        assertEquals(List.of(new FieldError("$", "expected a JSON object, got a JSON array [1,2]")),
                TrainingRequests.parse("[1, 2]").errors());
        assertEquals(List.of(new FieldError("$", "expected a JSON object, got a JSON string \"train\"")),
                TrainingRequests.parse("\"train\"").errors());
        assertNull(TrainingRequests.parse("null").request());
    }

    @Test
    void unknownFieldsAreIgnoredWithAWarningAndASuggestion() {
        ParsedTrainingRequest p = parse("\"addedLater\": {\"x\": 1}, \"hyperparameters\": {\"epoch\": 5}, "
                + "\"lora\": {\"rank\": 8}, \"$schema\": \"urn:tuneforge:schema:training-request\"");
        assertTrue(p.isValid(), p.errors().toString());
        assertEquals(List.of(
                new FieldError("lora.rank", "is not a field of 'lora' and was ignored"),
                new FieldError("hyperparameters.epoch", "is not a field of 'hyperparameters' and was ignored;"
                        + " did you mean \"epochs\"?"),
                new FieldError("addedLater", "is not a field of the training request and was ignored")), p.warnings());
        assertNull(p.request().hyperparameters().epochs());
    }

    @Test
    void whatJavaWritesParsesBackWithoutErrorsOrWarnings() {
        TrainingRequest full = PayloadExamples.fullRequest();
        ParsedTrainingRequest p = TrainingRequests.parse(Json.write(full));
        assertEquals(List.of(), p.errors());
        assertEquals(List.of(), p.warnings(), "a written request holds only its own fields");
        assertEquals(full, p.request());
        assertEquals("run-42", p.runId());
    }

    @Test
    void parsingATreeLeavesItUnchanged() {
        JsonNode tree = RequestTrees.read("{" + BASE + ", \"hyperparameters\": {\"epochs\": \"three\"}}");
        String before = tree.toString();
        TrainingRequests.parse(tree);
        assertEquals(before, tree.toString());
    }

    @Test
    void documentedExamplesParseWithoutErrorsOrWarnings() throws IOException {
        for (String name : List.of("training-request-full.json", "training-request-local.json",
                "training-request-minimal.json")) {
            ParsedTrainingRequest p = TrainingRequests.parse(example(name));
            assertTrue(p.isValid(), name + ": " + p.errors());
            assertEquals(List.of(), p.warnings(), name);
        }
        TrainingRequest full = TrainingRequests.parse(example("training-request-full.json")).request();
        assertEquals(TrainingMethod.DPO, full.method());
        assertEquals(AdapterType.QLORA, full.adapter());
        assertEquals(List.of("q_proj", "k_proj", "v_proj", "o_proj"), full.lora().targetModules());
        assertEquals(2e-4, full.hyperparameters().learningRate());
        assertEquals("q8_0", full.export().gguf());
    }
}
