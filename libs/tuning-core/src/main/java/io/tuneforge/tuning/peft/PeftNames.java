package io.tuneforge.tuning.peft;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEFT's tensor names for a LoRA adapter on a causal LM. {@code PeftModelForCausalLM} wraps the
 * Hugging Face model as {@code base_model.model}, so a projection {@code model.layers.0.self_attn.q_proj}
 * carries
 *
 * <pre>
 * base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight    (r, in)
 * base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight    (out, r)
 * </pre>
 *
 * <p>{@code save_pretrained} drops the adapter name; an in-memory state dict has it
 * ({@code lora_A.default.weight}). Both forms are read; the first is written.
 */
public final class PeftNames {

    /** Prefix PEFT puts before the Hugging Face module path of a causal LM. */
    public static final String PREFIX = "base_model.model.";
    /** Name of PEFT's default adapter, present in in-memory keys. */
    public static final String DEFAULT_ADAPTER = "default";

    private static final Pattern KEY = Pattern.compile(
            "base_model\\.model\\.(model\\.layers\\.\\d+\\.(?:self_attn|mlp)\\.[a-z_]+)\\.lora_([AB])(?:\\.default)?\\.weight");

    /** Which of the pair a tensor is. */
    public enum Part { A, B }

    /**
     * A parsed tensor key.
     *
     * @param module Hugging Face module path, e.g. {@code model.layers.0.self_attn.q_proj}
     * @param part   lora_A or lora_B
     */
    public record Key(String module, Part part) {
    }

    private PeftNames() {
    }

    /** {@code base_model.model.<module>.lora_A.weight} */
    public static String loraA(String module) {
        return PREFIX + module + ".lora_A.weight";
    }

    /** {@code base_model.model.<module>.lora_B.weight} */
    public static String loraB(String module) {
        return PREFIX + module + ".lora_B.weight";
    }

    /** The saved name of one half of a module's pair. */
    public static String name(String module, Part part) {
        return part == Part.A ? loraA(module) : loraB(module);
    }

    /**
     * Parses a saved or in-memory key ({@code ….lora_A.weight} or {@code ….lora_A.default.weight}).
     *
     * @return the key, or null when {@code name} is not a LoRA weight of a decoder-layer projection
     */
    public static Key parse(String name) {
        Matcher m = KEY.matcher(name);
        if (!m.matches()) {
            return null;
        }
        return new Key(m.group(1), m.group(2).equals("A") ? Part.A : Part.B);
    }
}
