package io.tuneforge.tuning.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes Hugging Face {@code config.json} for {@link ModelConfig}.
 *
 * <p>Field names and defaults follow {@code transformers}' {@code LlamaConfig}, {@code Qwen2Config}
 * and {@code MistralConfig}. Both spellings of the rope block are read: {@code rope_scaling}
 * (with {@code rope_type} or the older {@code type}) and transformers 5's {@code rope_parameters}
 * (which also carries {@code rope_theta}). Refused, each with the field, its value and what is
 * supported: other architectures or model types, activations other than SiLU, rope types other
 * than default/linear/llama3, interleaved rotary (nanotron's {@code rope_interleaved}), and Qwen2's
 * per-layer sliding window ({@code use_sliding_window: true}).
 */
final class HfConfigJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HfConfigJson() {
    }

    static String supportedList() {
        List<String> out = new ArrayList<>();
        new TreeMap<>(ModelConfig.SUPPORTED_ARCHITECTURES).forEach((a, t) -> out.add(a + " (model_type " + t + ")"));
        return String.join(", ", out);
    }

    static ModelConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " must hold a JSON object, found " + root);
        }
        Reader r = new Reader(root, source);
        String architecture = r.architecture();
        String modelType = ModelConfig.SUPPORTED_ARCHITECTURES.get(architecture);

        String act = r.text("hidden_act", r.text("hidden_activation", "silu"));
        if (!act.equals("silu")) {
            throw r.refuse("hidden_act", act, "supported: silu (the SwiGLU MLP of Llama, Qwen2 and Mistral)");
        }
        if (r.bool("rope_interleaved", false)) {
            throw r.refuse("rope_interleaved", true,
                    "only the Hugging Face rotate_half layout (rope_interleaved false) is supported");
        }

        int hidden = r.requiredInt("hidden_size");
        int heads = r.requiredInt("num_attention_heads");
        int kvHeads = r.integer("num_key_value_heads", heads);
        Integer headDimField = r.optionalInt("head_dim");
        if (headDimField == null && hidden % heads != 0) {
            throw r.refuse("hidden_size", hidden, "without head_dim it must be a multiple of num_attention_heads = "
                    + heads);
        }
        int headDim = headDimField != null ? headDimField : hidden / heads;

        JsonNode ropeParameters = root.path("rope_parameters");
        double theta = r.number("rope_theta", ropeParameters.path("rope_theta").asDouble(10000.0));
        JsonNode ropeNode = root.hasNonNull("rope_scaling") ? root.get("rope_scaling") : ropeParameters;
        RopeScaling rope = ropeScaling(r, ropeNode, root.hasNonNull("rope_scaling") ? "rope_scaling" : "rope_parameters");

        boolean qkvBias;
        boolean oBias;
        boolean mlpBias;
        Integer window = null;
        int defaultMaxPositions;
        switch (modelType) {
            case "qwen2":
                qkvBias = true;
                oBias = false;
                mlpBias = false;
                if (r.bool("use_sliding_window", false)) {
                    throw r.refuse("use_sliding_window", true, "Qwen2's per-layer sliding window is not supported;"
                            + " supported: use_sliding_window false (what every released Qwen2/2.5 config sets)");
                }
                defaultMaxPositions = 32768;
                break;
            case "mistral":
                qkvBias = false;
                oBias = false;
                mlpBias = false;
                window = r.optionalInt("sliding_window");
                defaultMaxPositions = 4096 * 32;
                break;
            default:
                qkvBias = r.bool("attention_bias", false);
                oBias = qkvBias;
                mlpBias = r.bool("mlp_bias", false);
                defaultMaxPositions = 2048;
                break;
        }
        int maxPositions = r.integer("max_position_embeddings", defaultMaxPositions);

        return new ModelConfig(
                architecture,
                modelType,
                r.requiredInt("vocab_size"),
                hidden,
                r.requiredInt("intermediate_size"),
                r.requiredInt("num_hidden_layers"),
                heads,
                kvHeads,
                headDim,
                maxPositions,
                r.number("rms_norm_eps", 1e-6),
                theta,
                rope,
                qkvBias,
                oBias,
                mlpBias,
                r.bool("tie_word_embeddings", false),
                window,
                r.optionalInt("bos_token_id"),
                r.intList("eos_token_id"),
                r.optionalInt("pad_token_id"),
                r.text("torch_dtype", r.text("dtype", null)));
    }

    private static RopeScaling ropeScaling(Reader r, JsonNode node, String field) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw r.refuse(field, node, "expected an object with rope_type or null");
        }
        JsonNode typeNode = node.hasNonNull("rope_type") ? node.get("rope_type") : node.get("type");
        String type = typeNode == null ? "default" : typeNode.asText();
        switch (type) {
            case "default":
                return null;
            case RopeScaling.LINEAR:
                return RopeScaling.linear(requiredNumber(r, node, field, "factor"));
            case RopeScaling.LLAMA3:
                return RopeScaling.llama3(
                        requiredNumber(r, node, field, "factor"),
                        requiredNumber(r, node, field, "low_freq_factor"),
                        requiredNumber(r, node, field, "high_freq_factor"),
                        (int) requiredNumber(r, node, field, "original_max_position_embeddings"));
            default:
                throw r.refuse(field + ".rope_type", type, "supported rope types: " + RopeScaling.SUPPORTED);
        }
    }

    private static double requiredNumber(Reader r, JsonNode node, String field, String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isNumber()) {
            throw r.refuse(field + "." + name, v, "a number is required for this rope type");
        }
        return v.asDouble();
    }

    static String write(ModelConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add(c.architecture());
        o.put("model_type", c.modelType());
        o.put("hidden_act", "silu");
        o.put("vocab_size", c.vocabSize());
        o.put("hidden_size", c.hiddenSize());
        o.put("intermediate_size", c.intermediateSize());
        o.put("num_hidden_layers", c.numHiddenLayers());
        o.put("num_attention_heads", c.numAttentionHeads());
        o.put("num_key_value_heads", c.numKeyValueHeads());
        o.put("head_dim", c.headDim());
        o.put("max_position_embeddings", c.maxPositionEmbeddings());
        o.put("rms_norm_eps", c.rmsNormEps());
        o.put("rope_theta", c.ropeTheta());
        RopeScaling s = c.ropeScaling();
        if (s == null) {
            o.putNull("rope_scaling");
        } else {
            ObjectNode so = o.putObject("rope_scaling");
            so.put("rope_type", s.type());
            so.put("factor", s.factor());
            if (s.type().equals(RopeScaling.LLAMA3)) {
                so.put("low_freq_factor", s.lowFreqFactor());
                so.put("high_freq_factor", s.highFreqFactor());
                so.put("original_max_position_embeddings", s.originalMaxPositionEmbeddings());
            }
        }
        switch (c.modelType()) {
            case "qwen2":
                if (!c.attentionBias() || c.attentionOutputBias() || c.mlpBias()) {
                    throw new IllegalArgumentException("a qwen2 config has q/k/v bias and no o_proj or MLP bias;"
                            + " got attentionBias=" + c.attentionBias() + ", attentionOutputBias="
                            + c.attentionOutputBias() + ", mlpBias=" + c.mlpBias());
                }
                o.put("use_sliding_window", false);
                break;
            case "mistral":
                if (c.attentionBias() || c.attentionOutputBias() || c.mlpBias()) {
                    throw new IllegalArgumentException("a mistral config has no biases; got attentionBias="
                            + c.attentionBias() + ", attentionOutputBias=" + c.attentionOutputBias()
                            + ", mlpBias=" + c.mlpBias());
                }
                if (c.slidingWindow() == null) {
                    o.putNull("sliding_window");
                } else {
                    o.put("sliding_window", c.slidingWindow());
                }
                break;
            default:
                if (c.attentionBias() != c.attentionOutputBias()) {
                    throw new IllegalArgumentException("a llama config's attention_bias covers q/k/v and o_proj"
                            + " alike; got attentionBias=" + c.attentionBias() + ", attentionOutputBias="
                            + c.attentionOutputBias() + " (use Qwen2ForCausalLM for q/k/v bias only)");
                }
                o.put("attention_bias", c.attentionBias());
                o.put("mlp_bias", c.mlpBias());
                break;
        }
        o.put("tie_word_embeddings", c.tieWordEmbeddings());
        putOptional(o, "bos_token_id", c.bosTokenId());
        if (c.eosTokenIds().size() == 1) {
            o.put("eos_token_id", c.eosTokenIds().get(0));
        } else {
            ArrayNode eos = o.putArray("eos_token_id");
            c.eosTokenIds().forEach(eos::add);
        }
        putOptional(o, "pad_token_id", c.padTokenId());
        if (c.torchDtype() != null) {
            o.put("torch_dtype", c.torchDtype());
        }
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise config " + c, e);
        }
    }

    private static void putOptional(ObjectNode o, String field, Integer value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    /** Typed access to one config's fields with errors that name the field and the source. */
    private static final class Reader {
        private final JsonNode root;
        private final String source;

        Reader(JsonNode root, String source) {
            this.root = root;
            this.source = source;
        }

        IllegalArgumentException refuse(String field, Object value, String expectation) {
            return new IllegalArgumentException(source + ": field '" + field + "' = " + value + ": " + expectation);
        }

        String architecture() {
            JsonNode archs = root.get("architectures");
            String typeField = text("model_type", null);
            String arch = null;
            if (archs != null && !archs.isNull()) {
                if (!archs.isArray() || archs.isEmpty() || !archs.get(0).isTextual()) {
                    throw refuse("architectures", archs, "expected a list such as [\"LlamaForCausalLM\"]");
                }
                arch = archs.get(0).asText();
                if (!ModelConfig.SUPPORTED_ARCHITECTURES.containsKey(arch)) {
                    throw refuse("architectures", archs, "supported: " + supportedList());
                }
            }
            if (typeField == null) {
                if (arch == null) {
                    throw refuse("model_type", null, "config.json names neither architectures nor model_type;"
                            + " supported: " + supportedList());
                }
                return arch;
            }
            String typeArch = null;
            for (Map.Entry<String, String> e : ModelConfig.SUPPORTED_ARCHITECTURES.entrySet()) {
                if (e.getValue().equals(typeField)) {
                    typeArch = e.getKey();
                }
            }
            if (typeArch == null) {
                throw refuse("model_type", typeField, "supported: " + supportedList());
            }
            if (arch != null && !arch.equals(typeArch)) {
                throw refuse("model_type", typeField, "does not match architectures " + archs + " (expected '"
                        + ModelConfig.SUPPORTED_ARCHITECTURES.get(arch) + "')");
            }
            return typeArch;
        }

        String text(String field, String dflt) {
            JsonNode v = root.get(field);
            return v == null || v.isNull() ? dflt : v.asText();
        }

        boolean bool(String field, boolean dflt) {
            JsonNode v = root.get(field);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw refuse(field, v, "expected true or false");
            }
            return v.asBoolean();
        }

        double number(String field, double dflt) {
            JsonNode v = root.get(field);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isNumber()) {
                throw refuse(field, v, "expected a number");
            }
            return v.asDouble();
        }

        Integer optionalInt(String field) {
            JsonNode v = root.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.canConvertToInt() || !(v.isIntegralNumber() || v.asDouble() == Math.rint(v.asDouble()))) {
                throw refuse(field, v, "expected an integer");
            }
            return v.asInt();
        }

        int integer(String field, int dflt) {
            Integer v = optionalInt(field);
            return v == null ? dflt : v;
        }

        int requiredInt(String field) {
            Integer v = optionalInt(field);
            if (v == null) {
                throw refuse(field, null, "this field is required");
            }
            return v;
        }

        List<Integer> intList(String field) {
            JsonNode v = root.get(field);
            List<Integer> out = new ArrayList<>();
            if (v == null || v.isNull()) {
                return out;
            }
            if (v.isArray()) {
                for (JsonNode e : v) {
                    if (!e.canConvertToInt() || !e.isIntegralNumber()) {
                        throw refuse(field, v, "expected an integer or a list of integers");
                    }
                    out.add(e.asInt());
                }
                return out;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw refuse(field, v, "expected an integer or a list of integers");
            }
            out.add(v.asInt());
            return out;
        }
    }
}
