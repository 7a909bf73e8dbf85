package io.tuneforge.tuning.chat;

/**
 * Chat templates we ship, as Jinja source in the form Hugging Face stores them in
 * {@code tokenizer_config.json}'s {@code chat_template}.
 */
public final class ChatTemplates {

    /**
     * ChatML as used by Qwen2/Qwen2.5 and SmolLM2, without tools and without a default system
     * prompt: every message becomes {@code <|im_start|>ROLE\nCONTENT<|im_end|>\n}; with
     * {@code add_generation_prompt} the text ends in {@code <|im_start|>assistant\n}, so the model
     * writes the answer and closes it with {@code <|im_end|>} (its EOS token).
     */
    public static final String CHATML = "{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** ChatML's special tokens in the id order of our byte-level tokenizer (256, 257, 258). */
    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    private ChatTemplates() {
    }
}
