package io.tuneforge.tuning.generate;

import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Conversations in, assistant replies out: 1) render each conversation with the chat template and
 * {@code add_generation_prompt}, 2) encode without adding special tokens (the template already
 * wrote BOS and the turn markers), 3) generate in one batch, 4) return the text with special
 * tokens, EOS and any stop string removed.
 */
public final class ChatGenerator {

    private final Generator generator;
    private final ChatTemplate template;

    /** Uses the tokenizer's own chat template ({@code tokenizer_config.json}). */
    public ChatGenerator(Generator generator) {
        this(generator, ChatTemplate.of(generator.tokenizer()));
    }

    public ChatGenerator(Generator generator, ChatTemplate template) {
        this.generator = generator;
        this.template = template;
    }

    /** The reply to one conversation. */
    public String reply(List<Message> conversation, GenerationConfig config) {
        return generate(List.of(conversation), config).get(0).text();
    }

    /** The replies to several conversations, generated as one left-padded batch. */
    public List<String> replies(List<List<Message>> conversations, GenerationConfig config) {
        List<String> replies = new ArrayList<>(conversations.size());
        generate(conversations, config).forEach(r -> replies.add(r.text()));
        return replies;
    }

    /** Full results (ids, finish reason) for several conversations, generated as one batch. */
    public List<GenerationResult> generate(List<List<Message>> conversations, GenerationConfig config) {
        List<long[]> prompts = new ArrayList<>(conversations.size());
        for (List<Message> conversation : conversations) {
            prompts.add(promptIds(conversation));
        }
        return generator.generate(prompts, config);
    }

    /** The token ids the model sees for a conversation, ending with the opening of the assistant's turn. */
    public long[] promptIds(List<Message> conversation) {
        return generator.tokenizer().encode(template.render(conversation, true));
    }

    public ChatTemplate template() {
        return template;
    }
}
