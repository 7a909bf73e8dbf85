package io.tuneforge.contracts.storage;

import java.util.regex.Pattern;

/**
 * The object-store key layout (DESIGN.md §3) in one place. Every key any service reads or writes is built here.
 * <pre>
 * datasets/{datasetId}/v{n}/train.jsonl | eval.jsonl | rejected.jsonl | manifest.json
 * models/{name}/...                     Hugging Face layout
 * runs/{runId}/request.json | state.json | metrics.jsonl
 * runs/{runId}/checkpoints/step-{n}/
 * runs/{runId}/adapter/ | merged/ | export/model-{q}.gguf
 * evals/{evalId}/report.json | samples.jsonl
 * </pre>
 * Ids are single path segments: letters, digits, {@code . _ -}, not starting with a dot.
 */
public final class ObjectKeys {

    public static final String DEFAULT_BUCKET = "tuneforge";

    public static final String TRAIN_FILE = "train.jsonl";
    public static final String EVAL_FILE = "eval.jsonl";
    public static final String REJECTED_FILE = "rejected.jsonl";
    public static final String MANIFEST_FILE = "manifest.json";

    /** What a valid id looks like, in words (for error messages). */
    public static final String ID_RULE = "1-128 letters, digits, '.', '_' or '-', not starting with '.'";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private ObjectKeys() {
    }

    /** Whether {@code value} is a safe single key segment ({@link #ID_RULE}). */
    public static boolean isValidId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** Throws unless {@code value} is a safe single key segment; {@code what} names it in the message. */
    public static String requireId(String what, String value) {
        if (!isValidId(value)) {
            throw new IllegalArgumentException(what + " '" + value + "' is not a valid id: use " + ID_RULE);
        }
        return value;
    }

    public static String datasetPrefix(String datasetId) {
        return "datasets/" + requireId("dataset id", datasetId) + "/";
    }

    public static String datasetVersionPrefix(String datasetId, int version) {
        if (version < 1) {
            throw new IllegalArgumentException("dataset version " + version + " is not valid: versions start at 1");
        }
        return datasetPrefix(datasetId) + "v" + version + "/";
    }

    /** A file of a dataset version: {@link #TRAIN_FILE}, {@link #EVAL_FILE}, {@link #REJECTED_FILE} or {@link #MANIFEST_FILE}. */
    public static String datasetFile(String datasetId, int version, String fileName) {
        return datasetVersionPrefix(datasetId, version) + fileName;
    }

    public static String datasetManifest(String datasetId, int version) {
        return datasetFile(datasetId, version, MANIFEST_FILE);
    }

    public static String modelPrefix(String modelName) {
        return "models/" + requireId("model name", modelName) + "/";
    }

    public static String runPrefix(String runId) {
        return "runs/" + requireId("run id", runId) + "/";
    }

    public static String runRequest(String runId) {
        return runPrefix(runId) + "request.json";
    }

    public static String runState(String runId) {
        return runPrefix(runId) + "state.json";
    }

    public static String runMetrics(String runId) {
        return runPrefix(runId) + "metrics.jsonl";
    }

    public static String runCheckpointsPrefix(String runId) {
        return runPrefix(runId) + "checkpoints/";
    }

    public static String runCheckpoint(String runId, long step) {
        if (step < 0) {
            throw new IllegalArgumentException("checkpoint step " + step + " is negative");
        }
        return runCheckpointsPrefix(runId) + "step-" + step + "/";
    }

    public static String runAdapter(String runId) {
        return runPrefix(runId) + "adapter/";
    }

    public static String runMerged(String runId) {
        return runPrefix(runId) + "merged/";
    }

    /** {@code runs/{runId}/export/model-{quantization}.gguf}, quantization e.g. f16 or q8_0. */
    public static String runGguf(String runId, String quantization) {
        return runPrefix(runId) + "export/model-" + requireId("GGUF type", quantization) + ".gguf";
    }

    public static String evalPrefix(String evalId) {
        return "evals/" + requireId("evaluation id", evalId) + "/";
    }

    public static String evalReport(String evalId) {
        return evalPrefix(evalId) + "report.json";
    }

    public static String evalSamples(String evalId) {
        return evalPrefix(evalId) + "samples.jsonl";
    }

    /** {@code s3://bucket/key}. */
    public static String uri(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }
}
