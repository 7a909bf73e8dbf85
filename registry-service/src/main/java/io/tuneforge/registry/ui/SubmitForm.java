package io.tuneforge.registry.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.training.EvaluationSettings;
import io.tuneforge.contracts.training.LoraSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The training request form. Every input is named by the JSON path of the request field it fills
 * ({@code hyperparameters.learningRate}), so that the errors of {@code TrainingRequests.parse}, which carry those
 * paths, land next to their inputs. Values are put into the JSON as typed where they read as numbers and left as
 * text where they do not, so that the one validator of the platform reports them ("expected a number, got 'abc'").
 */
public final class SubmitForm {

    /** Inputs whose values are numbers. */
    static final Set<String> NUMBERS = Set.of("dataset.version", "lora.r", "lora.alpha", "lora.dropout",
            "hyperparameters.epochs", "hyperparameters.learningRate", "hyperparameters.batchSize",
            "hyperparameters.gradientAccumulation", "hyperparameters.maxSeqLength", "hyperparameters.warmupRatio",
            "hyperparameters.seed", "evaluation.maxSamples");
    /** Text inputs and selects. */
    static final List<String> TEXTS = List.of("runId", "modelName", "baseModel", "dataset.id", "method", "adapter",
            "hyperparameters.scheduler", "export.gguf");
    /** Checkbox groups, each an array of names. */
    static final List<String> ARRAYS = List.of("lora.targetModules", "evaluation.metrics");
    static final String METADATA = "metadata";

    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, List<String>> multi = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final List<FieldError> otherErrors = new ArrayList<>();
    private final List<FieldError> warnings = new ArrayList<>();

    /** An empty form: defaults checked. */
    public static SubmitForm blank() {
        SubmitForm f = new SubmitForm();
        f.multi.put("lora.targetModules", LoraSettings.ALL_TARGETS);
        f.multi.put("evaluation.metrics", EvaluationSettings.defaults().metrics());
        return f;
    }

    /** The form as posted. */
    public static SubmitForm of(Map<String, List<String>> posted) {
        SubmitForm f = new SubmitForm();
        for (String name : TEXTS) {
            f.values.put(name, first(posted, name));
        }
        for (String name : NUMBERS) {
            f.values.put(name, first(posted, name));
        }
        f.values.put(METADATA, first(posted, METADATA));
        f.values.put("export.merge", first(posted, "export.merge"));
        for (String name : ARRAYS) {
            f.multi.put(name, posted.getOrDefault(name, List.of()));
        }
        return f;
    }

    /** The request as JSON; a malformed metadata line becomes an error of this form, not of the JSON. */
    public ObjectNode toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        for (String name : TEXTS) {
            put(root, name, text(name));
        }
        for (String name : NUMBERS) {
            String v = text(name);
            if (v == null) {
                continue;
            }
            if (INTEGER.matcher(v).matches()) {
                put(root, name, Json.mapper().getNodeFactory().numberNode(new java.math.BigInteger(v)));
            } else if (DECIMAL.matcher(v).matches()) {
                put(root, name, Json.mapper().getNodeFactory().numberNode(new java.math.BigDecimal(v)));
            } else {
                put(root, name, Json.mapper().getNodeFactory().textNode(v));
            }
        }
        if ("true".equals(values.get("export.merge"))) {
            put(root, "export.merge", Json.mapper().getNodeFactory().booleanNode(true));
        }
        boolean usesLora = !"none".equals(text("adapter"));
        for (String name : ARRAYS) {
            List<String> chosen = multi.getOrDefault(name, List.of());
            if (name.startsWith("lora.") && (!usesLora || chosen.equals(LoraSettings.ALL_TARGETS))) {
                continue; // the default, or no LoRA at all: leave the section to the defaults
            }
            if (!chosen.isEmpty()) {
                ArrayNode array = Json.mapper().createArrayNode();
                chosen.forEach(array::add);
                put(root, name, array);
            }
        }
        String metadata = text(METADATA);
        if (metadata != null) {
            ObjectNode m = root.putObject(METADATA);
            for (String line : metadata.split("\\R")) {
                if (line.isBlank()) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    errors.putIfAbsent(METADATA, "expected one key=value per line, got '" + line.trim() + "'");
                    continue;
                }
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return root;
    }

    /** Takes the validator's findings: errors at an input go next to it, the others above the form. */
    public void report(List<FieldError> found, List<FieldError> warned) {
        for (FieldError e : found) {
            String input = inputOf(e.path());
            if (input != null) {
                errors.merge(input, e.reason(), (a, b) -> a + "; " + b);
            } else {
                otherErrors.add(e);
            }
        }
        warnings.addAll(warned);
    }

    public boolean hasErrors() {
        return !errors.isEmpty() || !otherErrors.isEmpty();
    }

    /** The value to show in an input (as typed). */
    public String value(String name) {
        String v = values.get(name);
        return v == null ? "" : v;
    }

    public boolean checked(String name, String option) {
        return multi.getOrDefault(name, List.of()).contains(option);
    }

    public boolean selected(String name, String option) {
        return option.equals(value(name));
    }

    /** The error next to an input, or empty. */
    public String error(String name) {
        String e = errors.get(name);
        return e == null ? "" : e;
    }

    public boolean hasError(String name) {
        return errors.containsKey(name);
    }

    public Map<String, String> errors() {
        return errors;
    }

    public List<FieldError> otherErrors() {
        return otherErrors;
    }

    public List<FieldError> warnings() {
        return warnings;
    }

    public int errorCount() {
        return errors.size() + otherErrors.size();
    }

    /** The input an error path belongs to: the path itself, or the array it indexes into. */
    static String inputOf(String path) {
        String p = path.replaceAll("\\[\\d+]$", "");
        if (TEXTS.contains(p) || NUMBERS.contains(p) || ARRAYS.contains(p) || p.equals("export.merge")) {
            return p;
        }
        if (p.startsWith(METADATA)) {
            return METADATA;
        }
        if (p.equals("dataset")) {
            return "dataset.id";
        }
        return null;
    }

    private String text(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static void put(ObjectNode root, String path, String value) {
        if (value != null) {
            put(root, path, Json.mapper().getNodeFactory().textNode(value));
        }
    }

    private static void put(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
    }

    private static String first(Map<String, List<String>> posted, String name) {
        List<String> v = posted.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
