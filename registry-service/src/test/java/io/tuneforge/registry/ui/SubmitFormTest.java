package io.tuneforge.registry.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.contracts.training.ParsedTrainingRequest;
import io.tuneforge.contracts.training.TrainingRequests;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training request form: inputs named by JSON path become a request, and validator errors land at inputs. */
class SubmitFormTest {

    @Test
    void typedValuesBecomeTheRequestAndEmptyOnesTakeDefaults() {
        SubmitForm form = SubmitForm.of(posted(Map.of(
                "baseModel", List.of("s3://tuneforge/models/tiny/"), "dataset.id", List.of("ds-chat"),
                "dataset.version", List.of("2"), "hyperparameters.learningRate", List.of("0.0002"),
                "hyperparameters.epochs", List.of(""), "lora.targetModules", LoraSettings.ALL_TARGETS,
                "evaluation.metrics", List.of("rougeL", "bleu"), "metadata", List.of("team = support\n\nticket=42"),
                "adapter", List.of("lora"), "export.merge", List.of("true"))));
        ObjectNode json = form.toJson();
        assertEquals(2, json.path("dataset").path("version").intValue());
        assertTrue(json.path("dataset").path("version").isIntegralNumber());
        assertEquals(0.0002, json.path("hyperparameters").path("learningRate").doubleValue());
        assertFalse(json.path("hyperparameters").has("epochs"), "empty inputs are left to the defaults");
        assertFalse(json.has("lora"), "all target modules is the default: no lora section");
        assertEquals("[\"rougeL\",\"bleu\"]", json.path("evaluation").path("metrics").toString());
        assertEquals("{\"team\":\"support\",\"ticket\":\"42\"}", json.path("metadata").toString());
        assertTrue(json.path("export").path("merge").booleanValue());

        ParsedTrainingRequest parsed = TrainingRequests.parse(json);
        assertTrue(parsed.isValid(), parsed.describeErrors());
    }

    @Test
    void textInNumberFieldsReachesTheValidatorAndItsErrorsLandAtTheirInputs() {
        SubmitForm form = SubmitForm.of(posted(Map.of(
                "baseModel", List.of("s3://tuneforge/models/tiny/"), "dataset.id", List.of("ds-chat"),
                "dataset.version", List.of("1"), "hyperparameters.epochs", List.of("three"),
                "lora.r", List.of("0"), "lora.targetModules", List.of("q_proj"), "metadata", List.of("no equals sign"))));
        ObjectNode json = form.toJson();
        assertEquals("three", json.path("hyperparameters").path("epochs").textValue());
        ParsedTrainingRequest parsed = TrainingRequests.parse(json);
        form.report(parsed.errors(), parsed.warnings());

        assertTrue(form.hasErrors());
        assertTrue(form.error("hyperparameters.epochs").contains("\"three\""), form.error("hyperparameters.epochs"));
        assertTrue(form.error("lora.r").contains("got 0"), form.error("lora.r"));
        assertEquals("expected one key=value per line, got 'no equals sign'", form.error("metadata"));
        assertEquals("three", form.value("hyperparameters.epochs"), "the form shows what was typed");
        assertTrue(form.checked("lora.targetModules", "q_proj"));
        assertFalse(form.checked("lora.targetModules", "k_proj"));
        assertEquals(3, form.errorCount());
        assertTrue(form.otherErrors().isEmpty());
    }

    @Test
    void errorsOfFieldsWithoutAnInputAreListedAboveTheForm() {
        SubmitForm form = SubmitForm.blank();
        form.report(List.of(new io.tuneforge.contracts.event.FieldError("quantization", "only with qlora"),
                new io.tuneforge.contracts.event.FieldError("lora.targetModules[2]", "unknown")), List.of());
        assertEquals("unknown", form.error("lora.targetModules"));
        assertEquals(1, form.otherErrors().size());
        assertEquals("quantization", form.otherErrors().get(0).path());
    }

    @Test
    void aBlankFormHasTheDefaultsChecked() {
        SubmitForm form = SubmitForm.blank();
        assertTrue(LoraSettings.ALL_TARGETS.stream().allMatch(t -> form.checked("lora.targetModules", t)));
        assertTrue(form.checked("evaluation.metrics", "rougeL"));
        assertFalse(form.hasErrors());
        assertEquals("", form.value("baseModel"));
    }

    private static Map<String, List<String>> posted(Map<String, List<String>> values) {
        return new HashMap<>(values);
    }
}
