package io.tuneforge.tuning.model;

import io.tuneforge.tuning.tiny.TinySpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tiny models the golden logits were computed for (by {@code src/test/python/llama_reference.py},
 * see {@code src/test/resources/golden/README.md}). Changing one means regenerating its golden file.
 */
final class GoldenVariants {

    private GoldenVariants() {
    }

    static Map<String, TinySpec> all() {
        Map<String, TinySpec> out = new LinkedHashMap<>();
        // (a) the default tiny Llama: GQA 4 heads / 2 KV heads, untied LM head
        out.put("tiny", TinySpec.defaults());
        // (b) Qwen2 style: q/k/v bias, tied embeddings
        out.put("qwen2-tied", TinySpec.defaults().withSeed(7).asQwen2());
        // (c) llama3 rope scaling; original context 64 puts the 8 frequencies of head 16 in all three bands
        out.put("llama3-rope", TinySpec.defaults().withSeed(11).withRopeScaling(RopeScaling.llama3(8, 1, 4, 64)));
        // (d) Mistral with an 8-token sliding window (sequences of 40 tokens exercise it)
        out.put("mistral-window", TinySpec.defaults().withSeed(13).asMistral(8));
        return out;
    }
}
