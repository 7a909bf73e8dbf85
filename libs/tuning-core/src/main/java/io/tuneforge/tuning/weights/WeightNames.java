package io.tuneforge.tuning.weights;

import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.model.ModelConfig;
import io.tuneforge.tuning.model.Projection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that knows Hugging Face's tensor names for Llama-family checkpoints, and the shape
 * each must have under a {@link ModelConfig}.
 *
 * <pre>
 * model.embed_tokens.weight                              (V, D)
 * model.layers.{i}.input_layernorm.weight                (D)
 * model.layers.{i}.self_attn.{q,k,v,o}_proj.{weight,bias}  q (nH·hd, D), k/v (nKv·hd, D), o (D, nH·hd)
 * model.layers.{i}.post_attention_layernorm.weight       (D)
 * model.layers.{i}.mlp.{gate,up}_proj.weight             (I, D);  mlp.down_proj.weight (D, I)
 * model.norm.weight                                      (D)
 * lm_head.weight                                         (V, D) — absent when embeddings are tied
 * </pre>
 */
public final class WeightNames {

    public static final String EMBED_TOKENS = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private WeightNames() {
    }

    /** {@code model.layers.{i}} */
    public static String layer(int i) {
        return "model.layers." + i;
    }

    /** Module name of a projection, e.g. {@code model.layers.3.self_attn.q_proj}. */
    public static String module(int layer, Projection p) {
        return layer(layer) + "." + p.path();
    }

    /** {@code model.layers.{i}.self_attn.q_proj.weight} etc. */
    public static String weight(int layer, Projection p) {
        return module(layer, p) + ".weight";
    }

    /** {@code model.layers.{i}.self_attn.q_proj.bias} etc. */
    public static String bias(int layer, Projection p) {
        return module(layer, p) + ".bias";
    }

    /** {@code model.layers.{i}.input_layernorm.weight} */
    public static String inputNorm(int layer) {
        return layer(layer) + ".input_layernorm.weight";
    }

    /** {@code model.layers.{i}.post_attention_layernorm.weight} */
    public static String postAttentionNorm(int layer) {
        return layer(layer) + ".post_attention_layernorm.weight";
    }

    /** Every tensor a config needs, in checkpoint order, with its shape. */
    public static Map<String, Shape> expectedShapes(ModelConfig c) {
        Map<String, Shape> out = new LinkedHashMap<>();
        long d = c.hiddenSize();
        out.put(EMBED_TOKENS, new Shape(c.vocabSize(), d));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            out.put(inputNorm(i), new Shape(d));
            for (Projection p : Projection.values()) {
                if (p == Projection.GATE_PROJ) {
                    out.put(postAttentionNorm(i), new Shape(d));
                }
                out.put(weight(i, p), new Shape(p.outFeatures(c), p.inFeatures(c)));
                if (p.hasBias(c)) {
                    out.put(bias(i, p), new Shape(p.outFeatures(c)));
                }
            }
        }
        out.put(FINAL_NORM, new Shape(d));
        if (!c.tieWordEmbeddings()) {
            out.put(LM_HEAD, new Shape(c.vocabSize(), d));
        }
        return out;
    }

    /**
     * Checks a checkpoint against a config.
     *
     * @param found shape of every tensor present, by name
     * @return one line per problem: missing tensors and wrong shapes, each with expected and actual
     *     shape (empty when everything fits; extra tensors are not problems)
     */
    public static List<String> problems(ModelConfig c, Map<String, Shape> found) {
        List<String> problems = new ArrayList<>();
        expectedShapes(c).forEach((name, expected) -> {
            Shape actual = found.get(name);
            if (actual == null) {
                problems.add("missing " + name + " (expected shape " + expected + ")");
            } else if (!actual.equals(expected)) {
                problems.add(name + " has shape " + actual + " but the config needs " + expected);
            }
        });
        return problems;
    }
}
