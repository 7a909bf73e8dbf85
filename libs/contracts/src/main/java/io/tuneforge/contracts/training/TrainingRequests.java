package io.tuneforge.contracts.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.storage.ObjectKeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static io.tuneforge.contracts.training.Messages.show;
import static io.tuneforge.contracts.training.Messages.unknownValue;
import static io.tuneforge.contracts.training.TrainingRequestValidator.*;

/**
 * Reads a training request from JSON and reports every bad field at once:
 * <ol>
 *   <li>wrong JSON types ({@code "epochs": "three"}) and unknown values of the {@code method} and {@code adapter}
 *       enums, each with its path; the bad field is left out so that the rest can still be bound;</li>
 *   <li>binding into {@link TrainingRequest};</li>
 *   <li>{@link TrainingRequestValidator} on the bound request (ranges, combinations, known names), without repeating
 *       a path already reported in step 1.</li>
 * </ol>
 * Unknown fields are ignored for forward compatibility and reported as warnings, with a "did you mean" when one is a
 * small edit away from a known name. A top-level {@code $schema} is ignored silently.
 */
public final class TrainingRequests {

    private static final String ROOT = "$";

    private TrainingRequests() {
    }

    /** Parses, binds and validates one JSON document. */
    public static ParsedTrainingRequest parse(String json) {
        if (json == null || json.isBlank()) {
            return unreadable("expected a JSON object, got an empty document");
        }
        JsonNode tree;
        try {
            tree = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            return unreadable("expected a JSON object, got invalid JSON" + (loc == null ? "" : " at line "
                    + loc.getLineNr() + ", column " + loc.getColumnNr()) + ": " + e.getOriginalMessage());
        }
        return parse(tree);
    }

    /** Binds and validates an already parsed tree; {@code tree} itself is not changed. */
    public static ParsedTrainingRequest parse(JsonNode tree) {
        if (tree == null || tree.isMissingNode() || !tree.isObject()) {
            String got = tree == null || tree.isMissingNode() ? "nothing" : "a JSON " + kind(tree) + " " + show(tree);
            return unreadable("expected a JSON object, got " + got);
        }
        ObjectNode copy = tree.deepCopy();
        Checks c = new Checks();
        String runId = copy.path("runId").isTextual() && ObjectKeys.isValidId(copy.get("runId").asText())
                ? copy.get("runId").asText() : null;
        root(copy, c);
        TrainingRequest bound;
        try {
            bound = Json.mapper().treeToValue(copy, TrainingRequest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            c.errors.add(new FieldError(ROOT, "expected a training request object, got one that cannot be read: "
                    + reason));
            return new ParsedTrainingRequest(null, runId, c.errors, c.warnings);
        }
        List<FieldError> typeErrors = List.copyOf(c.errors);
        for (FieldError e : TrainingRequestValidator.validate(bound)) {
            if (typeErrors.stream().noneMatch(t -> covers(t.path(), e.path()))) {
                c.errors.add(e);
            }
        }
        return new ParsedTrainingRequest(bound, runId, c.errors, c.warnings);
    }

    private static ParsedTrainingRequest unreadable(String reason) {
        return new ParsedTrainingRequest(null, null, List.of(new FieldError(ROOT, reason)), List.of());
    }

    /** Whether an error at {@code reported} already explains one at {@code path} (same field or inside it). */
    private static boolean covers(String reported, String path) {
        return path.equals(reported) || path.startsWith(reported + ".") || path.startsWith(reported + "[");
    }

    private static void root(ObjectNode o, Checks c) {
        integer(o, "", "schemaVersion", NumberRange.integersFrom(0, "an integer"), false, c);
        text(o, "", "runId", "a string id (" + ObjectKeys.ID_RULE + ")", c);
        text(o, "", "modelName", "a string id (" + ObjectKeys.ID_RULE + ")", c);
        text(o, "", "baseModel", BASE_MODEL_RULE, c);
        ObjectNode d = object(o, "", "dataset", c);
        if (d != null) {
            text(d, "dataset.", "id", "a dataset id (" + ObjectKeys.ID_RULE + ")", c);
            integer(d, "dataset.", "version", DATASET_VERSION, false, c);
            text(d, "dataset.", "path", "the path of a JSONL file", c);
            text(d, "dataset.", "evalPath", "the path of a JSONL file", c);
            unknownFields(d, "dataset.", DatasetSpec.class, c);
        }
        javaEnum(o, "method", TrainingMethod.values(), TrainingMethod::wireName, TrainingMethod::fromWire, c);
        javaEnum(o, "adapter", AdapterType.values(), AdapterType::wireName, AdapterType::fromWire, c);
        ObjectNode lora = object(o, "", "lora", c);
        if (lora != null) {
            integer(lora, "lora.", "r", LORA_R, false, c);
            number(lora, "lora.", "alpha", LORA_ALPHA, c);
            number(lora, "lora.", "dropout", LORA_DROPOUT, c);
            textArray(lora, "lora.", "targetModules", LoraSettings.ALL_TARGETS, c);
            bool(lora, "lora.", "useRslora", c);
            unknownFields(lora, "lora.", LoraSettings.class, c);
        }
        ObjectNode q = object(o, "", "quantization", c);
        if (q != null) {
            text(q, "quantization.", "type", Messages.oneOf(QuantizationSettings.TYPES), c);
            bool(q, "quantization.", "doubleQuant", c);
            unknownFields(q, "quantization.", QuantizationSettings.class, c);
        }
        hyperparameters(o, c);
        ObjectNode e = object(o, "", "evaluation", c);
        if (e != null) {
            textArray(e, "evaluation.", "metrics", EvaluationSettings.KNOWN_METRICS, c);
            integer(e, "evaluation.", "maxSamples", MAX_SAMPLES, false, c);
            bool(e, "evaluation.", "enabled", c);
            unknownFields(e, "evaluation.", EvaluationSettings.class, c);
        }
        ObjectNode x = object(o, "", "export", c);
        if (x != null) {
            bool(x, "export.", "merge", c);
            text(x, "export.", "gguf", Messages.oneOf(ExportSettings.GGUF_TYPES), c);
            unknownFields(x, "export.", ExportSettings.class, c);
        }
        ObjectNode m = object(o, "", "metadata", c);
        if (m != null) {
            for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                JsonNode v = m.get(key);
                if (!v.isTextual() && !v.isNull()) {
                    c.errors.add(new FieldError("metadata." + key, "expected a string of at most "
                            + MAX_METADATA_LENGTH + " characters, got " + show(v)));
                    it.remove();
                }
            }
        }
        unknownFields(o, "", TrainingRequest.class, c);
    }

    private static void hyperparameters(ObjectNode o, Checks c) {
        ObjectNode h = object(o, "", "hyperparameters", c);
        if (h == null) {
            return;
        }
        String p = "hyperparameters.";
        integer(h, p, "epochs", EPOCHS, false, c);
        number(h, p, "learningRate", LEARNING_RATE, c);
        integer(h, p, "batchSize", BATCH_SIZE, false, c);
        integer(h, p, "gradientAccumulation", GRADIENT_ACCUMULATION, false, c);
        integer(h, p, "maxSeqLength", MAX_SEQ_LENGTH, false, c);
        number(h, p, "warmupRatio", WARMUP_RATIO, c);
        integer(h, p, "warmupSteps", WARMUP_STEPS, false, c);
        text(h, p, "scheduler", Messages.oneOf(Hyperparameters.SCHEDULERS), c);
        number(h, p, "weightDecay", WEIGHT_DECAY, c);
        number(h, p, "maxGradNorm", MAX_GRAD_NORM, c);
        number(h, p, "beta", BETA, c);
        integer(h, p, "seed", SEED, true, c);
        integer(h, p, "checkpointSteps", CHECKPOINT_STEPS, false, c);
        integer(h, p, "evalSteps", EVAL_STEPS, false, c);
        bool(h, p, "packing", c);
        bool(h, p, "trainOnPrompt", c);
        unknownFields(h, p, Hyperparameters.class, c);
    }

    /** A nested section: absent or null is fine; anything but an object is an error and is left out. */
    private static ObjectNode object(ObjectNode o, String prefix, String field, Checks c) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            c.bad(o, prefix, field, "expected an object, got " + show(v));
            return null;
        }
        return (ObjectNode) v;
    }

    /** A whole number that fits the Java type; {@code 3.0} is accepted as 3, {@code 3.5} and {@code "3"} are not. */
    private static void integer(ObjectNode o, String prefix, String field, NumberRange range, boolean isLong,
                                Checks c) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        boolean fits = false;
        if (v.isIntegralNumber()) {
            fits = isLong ? v.canConvertToLong() : v.canConvertToInt();
        } else if (v.isNumber()) {
            double d = v.asDouble();
            fits = d == Math.rint(d) && Math.abs(d) <= (isLong ? 9.007199254740992E15 : Integer.MAX_VALUE);
            if (fits) {
                o.put(field, (long) d); // bind exactly, not through float-to-int coercion
            }
        }
        if (!fits) {
            c.bad(o, prefix, field, range.reason(show(v)));
        }
    }

    private static void number(ObjectNode o, String prefix, String field, NumberRange range, Checks c) {
        JsonNode v = o.get(field);
        if (v != null && !v.isNull() && !(v.isNumber() && Double.isFinite(v.asDouble()))) {
            c.bad(o, prefix, field, range.reason(show(v)));
        }
    }

    private static void bool(ObjectNode o, String prefix, String field, Checks c) {
        JsonNode v = o.get(field);
        if (v != null && !v.isNull() && !v.isBoolean()) {
            c.bad(o, prefix, field, "expected true or false, got " + show(v));
        }
    }

    private static void text(ObjectNode o, String prefix, String field, String expected, Checks c) {
        JsonNode v = o.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            c.bad(o, prefix, field, "expected " + expected + ", got " + show(v));
        }
    }

    /** An array of names; a non-string element becomes null, which the validator would refuse at the same path. */
    private static void textArray(ObjectNode o, String prefix, String field, List<String> options, Checks c) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isArray()) {
            c.bad(o, prefix, field, "expected an array of " + Messages.oneOf(options) + ", got " + show(v));
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode element = v.get(i);
            if (!element.isTextual()) {
                c.errors.add(new FieldError(prefix + field + "[" + i + "]", unknownValue(element, options)));
                ((ArrayNode) v).set(i, NullNode.getInstance());
            }
        }
    }

    private static <E extends Enum<E>> void javaEnum(ObjectNode o, String field, E[] values,
                                                     Function<E, String> wireName, Function<String, E> fromWire,
                                                     Checks c) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        List<String> names = Arrays.stream(values).map(wireName).toList();
        if (!v.isTextual()) {
            c.bad(o, "", field, unknownValue(v, names));
            return;
        }
        try {
            fromWire.apply(v.asText());
        } catch (IllegalArgumentException e) {
            c.bad(o, "", field, unknownValue(v.asText(), names));
        }
    }

    /** Warns about fields the record does not have; they are ignored so that newer clients keep working. */
    private static void unknownFields(ObjectNode o, String prefix, Class<? extends Record> type, Checks c) {
        List<String> known = Arrays.stream(type.getRecordComponents()).map(rc -> rc.getName()).toList();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name) && !(prefix.isEmpty() && name.equals("$schema"))) {
                c.warnings.add(new FieldError(prefix + name, "is not a field of " + (prefix.isEmpty()
                        ? "the training request" : "'" + prefix.substring(0, prefix.length() - 1) + "'")
                        + " and was ignored" + Messages.didYouMean(name, known)));
            }
        }
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    /** Errors and warnings found so far; {@link #bad} also leaves the field out of the tree to be bound. */
    private static final class Checks {
        final List<FieldError> errors = new ArrayList<>();
        final List<FieldError> warnings = new ArrayList<>();

        void bad(ObjectNode o, String prefix, String field, String reason) {
            errors.add(new FieldError(prefix + field, reason));
            o.remove(field);
        }
    }
}
