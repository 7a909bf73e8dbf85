package io.tuneforge.tuning.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.tuning.model.Projection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PEFT's {@code adapter_config.json} for a LoRA adapter: written with every field PEFT's
 * {@code LoraConfig.to_dict()} holds (keys sorted, as {@code save_pretrained} writes them), read
 * with the checks that keep an unusable adapter out.
 *
 * <p>Read: {@code peft_type} ("LORA"), {@code r}, {@code lora_alpha} and {@code target_modules}
 * are required; {@code lora_dropout} (0), {@code use_rslora} (false) and {@code task_type}
 * (CAUSAL_LM when present) are optional. {@code target_modules} may be a list of names, one name,
 * {@code "all-linear"}, or a regular expression matched in full against module paths, as in PEFT.
 * Options that change what the weights mean and that TuneForge does not implement (bias other than
 * "none", DoRA, QA-LoRA, fan_in_fan_out, modules_to_save, rank/alpha patterns, layers_to_transform,
 * layer replication, LoRA bias, trainable tokens, target_parameters, aLoRA) are refused by name; other
 * fields (newer PEFT versions add some) are ignored.
 */
final class PeftConfigJson {

    static final String PEFT_TYPE = "LORA";
    static final String TASK_TYPE = "CAUSAL_LM";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PeftConfigJson() {
    }

    /** The config as PEFT writes it. */
    static ObjectNode write(LoraConfig c, String baseModelNameOrPath) {
        Map<String, JsonNode> fields = new TreeMap<>();
        fields.put("alpha_pattern", NODES.objectNode());
        fields.put("auto_mapping", NODES.nullNode());
        fields.put("base_model_name_or_path", baseModelNameOrPath == null ? NODES.nullNode()
                : NODES.textNode(baseModelNameOrPath));
        fields.put("bias", NODES.textNode("none"));
        fields.put("exclude_modules", NODES.nullNode());
        fields.put("fan_in_fan_out", NODES.booleanNode(false));
        fields.put("inference_mode", NODES.booleanNode(true));
        fields.put("init_lora_weights", NODES.booleanNode(true));
        fields.put("layer_replication", NODES.nullNode());
        fields.put("layers_pattern", NODES.nullNode());
        fields.put("layers_to_transform", NODES.nullNode());
        fields.put("loftq_config", NODES.objectNode());
        fields.put("lora_alpha", c.alpha() == Math.rint(c.alpha()) && Math.abs(c.alpha()) < 1e15
                ? NODES.numberNode((long) c.alpha()) : NODES.numberNode(c.alpha()));
        fields.put("lora_bias", NODES.booleanNode(false));
        fields.put("lora_dropout", NODES.numberNode(c.dropout()));
        fields.put("megatron_config", NODES.nullNode());
        fields.put("megatron_core", NODES.textNode("megatron.core"));
        fields.put("modules_to_save", NODES.nullNode());
        fields.put("peft_type", NODES.textNode(PEFT_TYPE));
        fields.put("r", NODES.numberNode(c.r()));
        fields.put("rank_pattern", NODES.objectNode());
        fields.put("revision", NODES.nullNode());
        ArrayNode targets = NODES.arrayNode();
        c.targetModules().forEach(targets::add);
        fields.put("target_modules", targets);
        fields.put("task_type", NODES.textNode(TASK_TYPE));
        fields.put("use_dora", NODES.booleanNode(false));
        fields.put("use_rslora", NODES.booleanNode(c.useRslora()));
        ObjectNode root = NODES.objectNode();
        root.setAll(fields);
        return root;
    }

    /**
     * Reads and checks a config.
     *
     * @param modules  the model's module paths ({@code model.layers.0.self_attn.q_proj}, …), for target_modules
     * @param problems receives one line per problem
     * @return the config, or null when a problem was found
     */
    static LoraConfig read(JsonNode root, Collection<String> modules, List<String> problems) {
        int before = problems.size();
        if (!root.isObject()) {
            problems.add("adapter_config.json must hold a JSON object; got " + root.getNodeType());
            return null;
        }
        JsonNode type = root.get("peft_type");
        if (type == null || type.isNull()) {
            problems.add("adapter_config.json lacks \"peft_type\" (expected \"" + PEFT_TYPE + "\")");
        } else if (!PEFT_TYPE.equals(type.asText())) {
            problems.add("peft_type " + type + " is not supported; only \"" + PEFT_TYPE + "\" adapters load here");
        }
        JsonNode task = root.get("task_type");
        if (task != null && !task.isNull() && !TASK_TYPE.equals(task.asText())) {
            problems.add("task_type " + task + " is not supported; a causal LM adapter has \"" + TASK_TYPE + "\"");
        }
        Integer r = null;
        JsonNode rNode = root.get("r");
        if (rNode == null || rNode.isNull()) {
            problems.add("adapter_config.json lacks \"r\" (the LoRA rank, an integer >= 1)");
        } else if (!rNode.isNumber() || rNode.asDouble() != Math.rint(rNode.asDouble()) || rNode.asDouble() < 1) {
            problems.add("r = " + rNode + " must be an integer >= 1");
        } else {
            r = rNode.asInt();
        }
        Double alpha = null;
        JsonNode alphaNode = root.get("lora_alpha");
        if (alphaNode == null || alphaNode.isNull()) {
            problems.add("adapter_config.json lacks \"lora_alpha\" (the scaling numerator, a number > 0)");
        } else if (!alphaNode.isNumber()) {
            problems.add("lora_alpha = " + alphaNode + " must be a number > 0");
        } else {
            alpha = alphaNode.asDouble();
        }
        double dropout = number(root, "lora_dropout", 0.0, problems);
        boolean rslora = bool(root, "use_rslora", false, problems);
        List<String> targets = targets(root.get("target_modules"), modules, problems);
        refuseUnsupported(root, problems);
        if (problems.size() > before) {
            return null;
        }
        try {
            return new LoraConfig(r, alpha, dropout, targets, rslora);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static void refuseUnsupported(JsonNode root, List<String> problems) {
        JsonNode bias = root.get("bias");
        if (bias != null && !bias.isNull() && !"none".equals(bias.asText())) {
            problems.add("bias " + bias + " is not supported; only \"none\" (no trained biases)");
        }
        refuseIf(root, "fan_in_fan_out", true, "weights stored transposed (GPT-2 Conv1D)", problems);
        refuseIf(root, "use_dora", true, "DoRA (weight-decomposed LoRA)", problems);
        refuseIf(root, "lora_bias", true, "a trained bias on lora_B", problems);
        refuseIf(root, "use_qalora", true, "QA-LoRA input pooling", problems);
        for (String key : List.of("modules_to_save", "layers_to_transform", "layer_replication",
                "trainable_token_indices", "target_parameters", "alora_invocation_tokens")) {
            JsonNode v = root.get(key);
            if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
                problems.add(key + " = " + v + " is not supported; TuneForge adapters set it to null");
            }
        }
        for (String key : List.of("rank_pattern", "alpha_pattern")) {
            JsonNode v = root.get(key);
            if (v != null && !v.isNull() && !(v.isObject() && v.isEmpty())) {
                problems.add(key + " = " + v + " is not supported; one r and lora_alpha for every module");
            }
        }
    }

    private static void refuseIf(JsonNode root, String key, boolean bad, String what, List<String> problems) {
        JsonNode v = root.get(key);
        if (v != null && v.isBoolean() && v.booleanValue() == bad) {
            problems.add(key + " = " + bad + " (" + what + ") is not supported; it must be " + !bad);
        }
    }

    private static double number(JsonNode root, String key, double absent, List<String> problems) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isNumber()) {
            problems.add(key + " = " + v + " must be a number");
            return absent;
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode root, String key, boolean absent, List<String> problems) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            problems.add(key + " = " + v + " must be true or false");
            return absent;
        }
        return v.booleanValue();
    }

    /** target_modules as projection names in {@link Projection} order. */
    private static List<String> targets(JsonNode node, Collection<String> modules, List<String> problems) {
        if (node == null || node.isNull()) {
            problems.add("adapter_config.json lacks \"target_modules\" (e.g. [\"q_proj\", \"v_proj\"])");
            return List.of();
        }
        Set<Projection> chosen = new LinkedHashSet<>();
        if (node.isArray()) {
            for (JsonNode n : node) {
                Projection p = n.isTextual() ? projection(n.asText()) : null;
                if (p == null) {
                    problems.add("target module " + n + " is not in the model; its adaptable modules are "
                            + names(List.of(Projection.values())));
                } else {
                    chosen.add(p);
                }
            }
        } else if (node.isTextual()) {
            String s = node.asText();
            if (s.equals("all-linear")) {
                chosen.addAll(List.of(Projection.values()));
            } else if (projection(s) != null) {
                chosen.add(projection(s));
            } else {
                chosen.addAll(byRegex(s, modules, problems));
            }
        } else {
            problems.add("target_modules = " + node + " must be a list of module names or a string");
        }
        List<Projection> ordered = new ArrayList<>();
        for (Projection p : Projection.values()) {
            if (chosen.contains(p)) {
                ordered.add(p);
            }
        }
        return names(ordered);
    }

    /** PEFT matches a string target_modules with {@code re.fullmatch} against each module path. */
    private static Set<Projection> byRegex(String regex, Collection<String> modules, List<String> problems) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            problems.add("target_modules \"" + regex + "\" is neither a module name nor a valid regular expression: "
                    + e.getDescription());
            return Set.of();
        }
        Map<Projection, int[]> counts = new LinkedHashMap<>(); // {matched, total}
        for (String module : modules) {
            Projection p = LoraAdapter.projectionOf(module);
            int[] c = counts.computeIfAbsent(p, k -> new int[2]);
            c[1]++;
            if (pattern.matcher(module).matches()) {
                c[0]++;
            }
        }
        Set<Projection> out = new LinkedHashSet<>();
        counts.forEach((p, c) -> {
            if (c[0] == c[1]) {
                out.add(p);
            } else if (c[0] > 0) {
                problems.add("target_modules \"" + regex + "\" adapts " + p.moduleName() + " in " + c[0] + " of " + c[1]
                        + " layers; only adapters on every layer are supported");
            }
        });
        if (out.isEmpty() && counts.values().stream().noneMatch(c -> c[0] > 0)) {
            problems.add("target module \"" + regex + "\" matches no module of the model (e.g. "
                    + modules.stream().findFirst().orElse("none") + ")");
        }
        return out;
    }

    private static Projection projection(String name) {
        for (Projection p : Projection.values()) {
            if (p.moduleName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static List<String> names(List<Projection> ps) {
        List<String> out = new ArrayList<>();
        ps.forEach(p -> out.add(p.moduleName()));
        return out;
    }
}
