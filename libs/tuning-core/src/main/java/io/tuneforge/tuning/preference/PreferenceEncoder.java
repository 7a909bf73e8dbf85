package io.tuneforge.tuning.preference;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.ChatTemplateException;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.data.RecordRejectedException;
import io.tuneforge.tuning.data.SftEncoder;
import io.tuneforge.tuning.data.TokenizedExample;
import io.tuneforge.tuning.tokenizer.TextTokenizer;

import java.util.Arrays;
import java.util.List;

import static io.tuneforge.tuning.data.TokenizedExample.IGNORE_INDEX;

/**
 * Turns a preference pair into prompt and completion tokens with the model's chat template, as
 * TRL's DPO/ORPO trainers do for conversational data:
 *
 * <pre>
 * prompt    = tokens(template(prompt turns, add_generation_prompt = true))
 * chosen    = tokens(template(prompt turns + assistant(chosen)))[len(prompt) ..]    answer + end-of-turn token
 * rejected  = likewise for the rejected answer
 * </pre>
 *
 * <p>The completion spans come from {@link SftEncoder}'s prefix rendering: the conversation with the
 * answer is encoded by it, and its labels of the last assistant turn are the completion — the answer
 * and the template's end-of-turn marker (e.g. {@code <|im_end|>}), without the separator text after
 * it. A template that is not prefix-stable, or a tokenizer that merges across the turn boundary, gets
 * the record refused with the reason, as in SFT. The prompt's tokens must be a prefix of both
 * conversations' tokens (checked), so chosen and rejected share them exactly.
 *
 * <p>Truncation (TRL's order) when {@code prompt + longer completion > maxSeqLength}:
 * <ol>
 *   <li>the prompt keeps its last {@code maxPromptLength} tokens (cut from the left: the question
 *       next to the answer matters more than the system prompt before it);</li>
 *   <li>if still too long, both completions keep their first {@code maxSeqLength − prompt} tokens.</li>
 * </ol>
 * The example is then marked {@code truncated}.
 */
public final class PreferenceEncoder {

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final SftEncoder conversations;
    private final int maxSeqLength;
    private final int maxPromptLength;

    /** With {@code maxPromptLength = maxSeqLength / 2} (TRL's defaults are 1024 and 512). */
    public PreferenceEncoder(TextTokenizer tokenizer, ChatTemplate template, int maxSeqLength) {
        this(tokenizer, template, maxSeqLength, maxSeqLength / 2);
    }

    /**
     * @param maxSeqLength longest sequence (prompt + completion) in tokens, at least 2
     * @param maxPromptLength longest prompt once truncation is needed, in [1, maxSeqLength)
     */
    public PreferenceEncoder(TextTokenizer tokenizer, ChatTemplate template, int maxSeqLength, int maxPromptLength) {
        if (tokenizer == null || template == null) {
            throw new IllegalArgumentException("PreferenceEncoder needs a tokenizer and a chat template");
        }
        if (maxSeqLength < 2) {
            throw new IllegalArgumentException("maxSeqLength = " + maxSeqLength + " must be >= 2");
        }
        if (maxPromptLength < 1 || maxPromptLength >= maxSeqLength) {
            throw new IllegalArgumentException("maxPromptLength = " + maxPromptLength + " must be in [1, maxSeqLength = "
                    + maxSeqLength + ") so that at least one completion token fits after a truncated prompt");
        }
        this.tokenizer = tokenizer;
        this.template = template;
        this.conversations = new SftEncoder(tokenizer, template, Integer.MAX_VALUE, false);
        this.maxSeqLength = maxSeqLength;
        this.maxPromptLength = maxPromptLength;
    }

    public int maxSeqLength() {
        return maxSeqLength;
    }

    public int maxPromptLength() {
        return maxPromptLength;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Encodes one dataset record ({@link PreferenceRecords}).
     *
     * @throws RecordRejectedException with the reason and what is wrong
     */
    public PreferenceExample encodeRecord(JsonNode record) {
        return encode(PreferenceRecords.pair(record));
    }

    /**
     * Encodes a pair.
     *
     * @throws RecordRejectedException when the template fails or is not prefix-stable, or an answer renders as no
     *     token
     */
    public PreferenceExample encode(PreferencePair pair) {
        long[] prompt = tokenizer.encode(renderPrompt(pair.prompt()));
        long[] chosen = completion(pair.chosenConversation(), prompt, "chosen");
        long[] rejected = completion(pair.rejectedConversation(), prompt, "rejected");
        boolean truncated = false;
        if (prompt.length + Math.max(chosen.length, rejected.length) > maxSeqLength) {
            truncated = true;
            if (prompt.length > maxPromptLength) {                                              // 1)
                prompt = Arrays.copyOfRange(prompt, prompt.length - maxPromptLength, prompt.length);
            }
            int room = maxSeqLength - prompt.length;                                            // 2)
            chosen = Arrays.copyOf(chosen, Math.min(chosen.length, room));
            rejected = Arrays.copyOf(rejected, Math.min(rejected.length, room));
        }
        return new PreferenceExample(prompt, chosen, rejected, truncated);
    }

    /** The tokens of the conversation's last assistant turn, after {@code prompt}. */
    private long[] completion(List<Message> conversation, long[] prompt, String which) {
        TokenizedExample whole = conversations.encode(conversation);
        long[] ids = whole.inputIds();
        int shared = 0;
        while (shared < prompt.length && shared < ids.length && prompt[shared] == ids[shared]) {
            shared++;
        }
        if (shared < prompt.length) {
            throw new RecordRejectedException(RecordRejectedException.Reason.TEMPLATE_NOT_PREFIX_STABLE,
                    "the prompt's tokens (with the generation prompt) are not a prefix of the tokens of the prompt with"
                            + " the " + which + " answer (they part at token " + shared + " of " + prompt.length
                            + "); the answer's tokens cannot be located, so the record is refused");
        }
        long[] labels = whole.labels();
        int end = labels.length;
        while (end > prompt.length && labels[end - 1] == IGNORE_INDEX) {
            end--;
        }
        if (end == prompt.length) {
            throw new RecordRejectedException(RecordRejectedException.Reason.NO_ASSISTANT_TURN,
                    "the " + which + " answer renders as no token after the prompt; give a non-empty answer");
        }
        return Arrays.copyOfRange(ids, prompt.length, end);
    }

    private String renderPrompt(List<Message> prompt) {
        try {
            return template.render(prompt, true);
        } catch (ChatTemplateException e) {
            throw new RecordRejectedException(RecordRejectedException.Reason.TEMPLATE_FAILED,
                    "rendering the prompt of " + prompt.size() + " turn(s) failed: " + e.getMessage(), e);
        }
    }
}
