package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.storage.ObjectKeys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.tuneforge.contracts.training.Messages.show;
import static io.tuneforge.contracts.training.Messages.unknownValue;

/**
 * Checks a bound {@link TrainingRequest} and reports every bad field at once, each with its JSON path and a reason
 * that repeats the bad value and says what would be right. Absent optional fields are fine: they take the defaults
 * of {@link TrainingRequest#withDefaults()}. The ranges are public so that forms (the registry UI, the CLI) can show
 * them. Type errors in raw JSON ("epochs": "three") are found earlier, by {@link TrainingRequests#parse(String)}.
 */
public final class TrainingRequestValidator {

    public static final NumberRange SCHEMA_VERSION = NumberRange.integers(1, TrainingRequest.SCHEMA_VERSION,
            TrainingRequest.SCHEMA_VERSION + " (the newest request version this build reads)");
    public static final NumberRange DATASET_VERSION = NumberRange.integersFrom(1, "a positive integer");

    public static final NumberRange LORA_R = NumberRange.integers(1, 1024, "an integer from 1 to 1024");
    public static final NumberRange LORA_ALPHA = NumberRange.numbers(0, false, Double.POSITIVE_INFINITY, false,
            "a positive number");
    public static final NumberRange LORA_DROPOUT = NumberRange.numbers(0, true, 1, false,
            "a number from 0 up to but not including 1");

    public static final NumberRange EPOCHS = NumberRange.integers(1, 1000, "a positive integer up to 1000");
    public static final NumberRange LEARNING_RATE = NumberRange.numbers(0, false, 1, true,
            "a number greater than 0 and at most 1");
    public static final NumberRange BATCH_SIZE = NumberRange.integers(1, 4096, "a positive integer up to 4096");
    public static final NumberRange GRADIENT_ACCUMULATION = NumberRange.integers(1, Integer.MAX_VALUE,
            "a positive integer");
    public static final NumberRange MAX_SEQ_LENGTH = NumberRange.integers(8, 131072, "an integer from 8 to 131072");
    public static final NumberRange WARMUP_RATIO = NumberRange.numbers(0, true, 1, false,
            "a number from 0 up to but not including 1");
    public static final NumberRange WARMUP_STEPS = NumberRange.integers(0, Integer.MAX_VALUE, "a non-negative integer");
    public static final NumberRange WEIGHT_DECAY = NumberRange.numbers(0, true, Double.POSITIVE_INFINITY, false,
            "a non-negative number");
    public static final NumberRange MAX_GRAD_NORM = NumberRange.numbers(0, true, Double.POSITIVE_INFINITY, false,
            "a non-negative number (0 disables clipping)");
    public static final NumberRange BETA = NumberRange.numbers(0, false, Double.POSITIVE_INFINITY, false,
            "a positive number");
    public static final NumberRange SEED = NumberRange.integers(Long.MIN_VALUE, Long.MAX_VALUE, "an integer");
    public static final NumberRange CHECKPOINT_STEPS = NumberRange.integers(0, Integer.MAX_VALUE,
            "a non-negative integer (0 = only at the end)");
    public static final NumberRange EVAL_STEPS = CHECKPOINT_STEPS;

    public static final NumberRange MAX_SAMPLES = NumberRange.integers(1, Integer.MAX_VALUE, "a positive integer");

    public static final int MAX_METADATA_ENTRIES = 64;
    public static final int MAX_METADATA_LENGTH = 256;

    /** What {@code baseModel} must look like, in words. */
    public static final String BASE_MODEL_RULE = "an s3://bucket/prefix/ URI or a local model directory path";

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private TrainingRequestValidator() {
    }

    /** Every bad field of {@code request}; empty when it can run. */
    public static List<FieldError> validate(TrainingRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            errors.add(new FieldError("$", "expected a training request object, got nothing"));
            return errors;
        }
        range(errors, "schemaVersion", request.schemaVersion(), SCHEMA_VERSION);
        optionalId(errors, "runId", request.runId());
        optionalId(errors, "modelName", request.modelName());
        baseModel(errors, request.baseModel());
        dataset(errors, request.dataset());
        AdapterType adapter = request.adapter() != null ? request.adapter() : AdapterType.LORA;
        String adapterShown = show(adapter) + (request.adapter() == null ? " (the default)" : "");
        lora(errors, request.lora(), adapter);
        quantization(errors, request.quantization(), adapter, adapterShown);
        hyperparameters(errors, request.hyperparameters());
        evaluation(errors, request.evaluation());
        export(errors, request.export());
        metadata(errors, request.metadata());
        return errors;
    }

    private static void optionalId(List<FieldError> errors, String path, String value) {
        if (value != null && !ObjectKeys.isValidId(value)) {
            errors.add(new FieldError(path, "expected " + ObjectKeys.ID_RULE + ", got " + show(value)));
        }
    }

    /** {@code s3://bucket/prefix/} with a valid bucket name and a prefix, or a plain path (no other URI scheme). */
    private static void baseModel(List<FieldError> errors, String value) {
        if (value == null || value.isBlank() || CONTROL.matcher(value).find()) {
            errors.add(new FieldError("baseModel", "expected " + BASE_MODEL_RULE + ", got " + show(value)));
            return;
        }
        if (value.startsWith("s3://")) {
            String rest = value.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            if (!BUCKET.matcher(bucket).matches() || key.isEmpty() || ("/" + key + "/").contains("/../")) {
                errors.add(new FieldError("baseModel", "expected s3://bucket/prefix/ with a bucket of 3-63 lowercase"
                        + " letters, digits, '.' or '-' and a non-empty prefix without '..', got " + show(value)));
            }
        } else if (value.contains("://")) {
            errors.add(new FieldError("baseModel", "expected " + BASE_MODEL_RULE + " (s3:// is the only URI scheme"
                    + " read), got " + show(value)));
        }
    }

    /** Either a registered version ({@code id} + {@code version}) or local files ({@code path}, {@code evalPath}). */
    private static void dataset(List<FieldError> errors, DatasetSpec d) {
        if (d == null || (d.id() == null && d.path() == null)) {
            errors.add(new FieldError("dataset", "expected {\"id\": \"<dataset id>\", \"version\": <n>} or"
                    + " {\"path\": \"<train.jsonl>\"}, got " + (d == null ? "nothing" : "neither id nor path")));
            return;
        }
        if (d.id() != null && d.path() != null) {
            errors.add(new FieldError("dataset", "expected either id + version or path, got both id " + show(d.id())
                    + " and path " + show(d.path())));
            return;
        }
        if (d.id() != null) {
            if (!ObjectKeys.isValidId(d.id())) {
                errors.add(new FieldError("dataset.id", "expected " + ObjectKeys.ID_RULE + ", got " + show(d.id())));
            }
            if (d.version() == null) {
                errors.add(new FieldError("dataset.version", "expected a positive integer (the version of dataset "
                        + show(d.id()) + " to train on), got nothing"));
            } else {
                range(errors, "dataset.version", d.version(), DATASET_VERSION);
            }
            if (d.evalPath() != null) {
                errors.add(new FieldError("dataset.evalPath", "expected no evalPath with dataset.id (a registered"
                        + " version brings its own eval split; evalPath goes with path), got " + show(d.evalPath())));
            }
        } else {
            if (d.path().isBlank()) {
                errors.add(new FieldError("dataset.path", "expected the path of a JSONL file, got " + show(d.path())));
            }
            if (d.version() != null) {
                errors.add(new FieldError("dataset.version", "expected no version with dataset.path (versions belong"
                        + " to registered datasets, given by id), got " + show(d.version())));
            }
            if (d.evalPath() != null && d.evalPath().isBlank()) {
                errors.add(new FieldError("dataset.evalPath", "expected the path of a JSONL file, got "
                        + show(d.evalPath())));
            }
        }
    }

    private static void lora(List<FieldError> errors, LoraSettings lora, AdapterType adapter) {
        if (lora == null) {
            return;
        }
        if (!adapter.usesLora()) {
            errors.add(new FieldError("lora", "expected no lora section with adapter \"none\" (full fine-tuning);"
                    + " set adapter to lora or qlora, or remove lora, got " + show(lora)));
            return;
        }
        optionalRange(errors, "lora.r", lora.r(), LORA_R);
        optionalRange(errors, "lora.alpha", lora.alpha(), LORA_ALPHA);
        optionalRange(errors, "lora.dropout", lora.dropout(), LORA_DROPOUT);
        List<String> targets = lora.targetModules();
        if (targets == null) {
            return;
        }
        if (targets.isEmpty()) {
            errors.add(new FieldError("lora.targetModules", "expected at least one of "
                    + String.join(", ", LoraSettings.ALL_TARGETS) + ", got []"));
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            String t = targets.get(i);
            String path = "lora.targetModules[" + i + "]";
            if (t == null || !LoraSettings.ALL_TARGETS.contains(t)) {
                errors.add(new FieldError(path, unknownValue(t, LoraSettings.ALL_TARGETS)));
            } else if (firstIndex.putIfAbsent(t, i) != null) {
                errors.add(new FieldError(path, "expected each module once, got " + show(t) + " again (first at ["
                        + firstIndex.get(t) + "])"));
            }
        }
    }

    private static void quantization(List<FieldError> errors, QuantizationSettings q, AdapterType adapter,
                                     String adapterShown) {
        if (q == null) {
            return;
        }
        if (adapter != AdapterType.QLORA) {
            errors.add(new FieldError("quantization", "expected no quantization section unless adapter is \"qlora\","
                    + " got adapter " + adapterShown));
            return;
        }
        if (q.type() != null && !QuantizationSettings.TYPES.contains(q.type())) {
            errors.add(new FieldError("quantization.type", unknownValue(q.type(), QuantizationSettings.TYPES)));
        }
    }

    private static void hyperparameters(List<FieldError> errors, Hyperparameters h) {
        if (h == null) {
            return;
        }
        String p = "hyperparameters.";
        optionalRange(errors, p + "epochs", h.epochs(), EPOCHS);
        optionalRange(errors, p + "learningRate", h.learningRate(), LEARNING_RATE);
        optionalRange(errors, p + "batchSize", h.batchSize(), BATCH_SIZE);
        optionalRange(errors, p + "gradientAccumulation", h.gradientAccumulation(), GRADIENT_ACCUMULATION);
        optionalRange(errors, p + "maxSeqLength", h.maxSeqLength(), MAX_SEQ_LENGTH);
        optionalRange(errors, p + "warmupRatio", h.warmupRatio(), WARMUP_RATIO);
        optionalRange(errors, p + "warmupSteps", h.warmupSteps(), WARMUP_STEPS);
        if (h.scheduler() != null && !Hyperparameters.SCHEDULERS.contains(h.scheduler())) {
            errors.add(new FieldError(p + "scheduler", unknownValue(h.scheduler(), Hyperparameters.SCHEDULERS)));
        }
        optionalRange(errors, p + "weightDecay", h.weightDecay(), WEIGHT_DECAY);
        optionalRange(errors, p + "maxGradNorm", h.maxGradNorm(), MAX_GRAD_NORM);
        optionalRange(errors, p + "beta", h.beta(), BETA);
        optionalRange(errors, p + "checkpointSteps", h.checkpointSteps(), CHECKPOINT_STEPS);
        optionalRange(errors, p + "evalSteps", h.evalSteps(), EVAL_STEPS);
    }

    private static void evaluation(List<FieldError> errors, EvaluationSettings e) {
        if (e == null) {
            return;
        }
        List<String> metrics = e.metrics();
        if (metrics != null) {
            if (metrics.isEmpty() && !Boolean.FALSE.equals(e.enabled())) {
                errors.add(new FieldError("evaluation.metrics", "expected at least one of "
                        + String.join(", ", EvaluationSettings.KNOWN_METRICS) + " (or evaluation.enabled false),"
                        + " got []"));
            }
            Map<String, Integer> firstIndex = new HashMap<>();
            for (int i = 0; i < metrics.size(); i++) {
                String m = metrics.get(i);
                String path = "evaluation.metrics[" + i + "]";
                if (m == null || !EvaluationSettings.KNOWN_METRICS.contains(m)) {
                    errors.add(new FieldError(path, unknownValue(m, EvaluationSettings.KNOWN_METRICS)));
                } else if (firstIndex.putIfAbsent(m, i) != null) {
                    errors.add(new FieldError(path, "expected each metric once, got " + show(m) + " again (first at ["
                            + firstIndex.get(m) + "])"));
                }
            }
        }
        optionalRange(errors, "evaluation.maxSamples", e.maxSamples(), MAX_SAMPLES);
    }

    private static void export(List<FieldError> errors, ExportSettings x) {
        if (x != null && x.gguf() != null && !ExportSettings.GGUF_TYPES.contains(x.gguf())) {
            errors.add(new FieldError("export.gguf", unknownValue(x.gguf(), ExportSettings.GGUF_TYPES)));
        }
    }

    private static void metadata(List<FieldError> errors, Map<String, String> metadata) {
        if (metadata == null) {
            return;
        }
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            errors.add(new FieldError("metadata", "expected at most " + MAX_METADATA_ENTRIES + " entries, got "
                    + metadata.size()));
        }
        metadata.forEach((key, value) -> {
            if (key == null || key.isBlank() || key.length() > MAX_METADATA_LENGTH) {
                errors.add(new FieldError("metadata", "expected keys of 1 to " + MAX_METADATA_LENGTH
                        + " characters, got " + (key == null ? "null" : show(key) + " (" + key.length()
                        + " characters)")));
            } else if (value == null || value.length() > MAX_METADATA_LENGTH) {
                errors.add(new FieldError("metadata." + key, "expected a string of at most " + MAX_METADATA_LENGTH
                        + " characters, got " + (value == null ? "null" : show(value) + " (" + value.length()
                        + " characters)")));
            }
        });
    }

    private static void optionalRange(List<FieldError> errors, String path, Number value, NumberRange range) {
        if (value != null) {
            range(errors, path, value, range);
        }
    }

    private static void range(List<FieldError> errors, String path, Number value, NumberRange range) {
        if (!range.contains(value)) {
            errors.add(new FieldError(path, range.reason(show(value))));
        }
    }
}
