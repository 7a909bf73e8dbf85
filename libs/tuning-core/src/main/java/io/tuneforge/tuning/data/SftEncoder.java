package io.tuneforge.tuning.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.ChatTemplateException;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.tokenizer.TextTokenizer;

import java.util.Arrays;
import java.util.List;

import static io.tuneforge.tuning.data.TokenizedExample.IGNORE_INDEX;

/**
 * Turns a conversation into token ids and labels for supervised fine-tuning, with the model's
 * own chat template, training only on what the assistant says (as LLaMA-Factory and TRL's
 * assistant-only loss do).
 *
 * <p>How the assistant spans are found — by rendering prefixes, not by searching the text:
 * <ol>
 *   <li>Render the whole conversation and tokenize it (no special tokens added by the tokenizer:
 *       the template writes BOS and turn markers itself, so BOS is never added twice).</li>
 *   <li>For each assistant turn k: {@code prompt = render(messages[0..k), add_generation_prompt)}
 *       and {@code done = render(messages[0..k], no generation prompt)}. The turn's tokens are
 *       {@code tokens(done)[len(tokens(prompt)) ..]}: the answer and the template's end-of-turn
 *       marker (e.g. {@code <|im_end|>}, {@code <|eot_id|>}), so the model learns to stop. Text
 *       after the last special token of that span (ChatML's {@code "\n"}) belongs to the template's
 *       separator and is not trained.</li>
 *   <li>The check that makes this sound: {@code prompt} must be a prefix of {@code done} and
 *       {@code done} of the whole text, both as text and as tokens. A template that rewrites
 *       earlier turns depending on what follows (e.g. strips reasoning from all but the last
 *       turn), or a tokenizer that merges across the turn boundary, breaks it; the record is then
 *       refused with {@link RecordRejectedException.Reason#TEMPLATE_NOT_PREFIX_STABLE}, naming the
 *       turn and where the two renderings part — never labelled wrongly.</li>
 * </ol>
 * Every assistant turn of a multi-turn conversation trains. With {@code trainOnPrompt} every token
 * is a label (system and user too).
 *
 * <p>Truncation keeps the start: tokens past {@code maxSeqLength} are cut and the example is
 * marked {@code truncated}. A record with no target token left is refused with
 * {@link RecordRejectedException.Reason#TRUNCATED_AWAY}.
 *
 * <p>Not thread-safe only in the sense that the tokenizer and template must be; both are.
 */
public final class SftEncoder {

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final int maxSeqLength;
    private final boolean trainOnPrompt;

    /**
     * @param tokenizer the model's tokenizer
     * @param template the model's chat template (e.g. {@code ChatTemplate.of(tokenizer)})
     * @param maxSeqLength longest example in tokens, at least 2
     * @param trainOnPrompt whether system/user/template tokens are targets too
     */
    public SftEncoder(TextTokenizer tokenizer, ChatTemplate template, int maxSeqLength, boolean trainOnPrompt) {
        if (tokenizer == null || template == null) {
            throw new IllegalArgumentException("SftEncoder needs a tokenizer and a chat template");
        }
        if (maxSeqLength < 2) {
            throw new IllegalArgumentException("maxSeqLength = " + maxSeqLength
                    + " must be >= 2 (one token to read and one to predict)");
        }
        this.tokenizer = tokenizer;
        this.template = template;
        this.maxSeqLength = maxSeqLength;
        this.trainOnPrompt = trainOnPrompt;
    }

    public int maxSeqLength() {
        return maxSeqLength;
    }

    public boolean trainOnPrompt() {
        return trainOnPrompt;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Encodes one dataset record (instruction, conversation or ShareGPT; see {@link ChatRecords}).
     *
     * @throws RecordRejectedException with the reason and what is wrong
     */
    public TokenizedExample encodeRecord(JsonNode record) {
        return encode(ChatRecords.messages(record));
    }

    /**
     * Encodes a conversation.
     *
     * @throws RecordRejectedException with the reason: no assistant turn, template failure or
     *     prefix instability (naming the turn), or every target cut by truncation
     */
    public TokenizedExample encode(List<Message> conversation) {
        if (conversation == null || conversation.isEmpty()) {
            throw new RecordRejectedException(RecordRejectedException.Reason.INVALID_RECORD,
                    "conversation has no messages");
        }
        boolean hasAssistant = conversation.stream().anyMatch(m -> "assistant".equals(m.role()));
        if (!hasAssistant && !trainOnPrompt) {
            throw new RecordRejectedException(RecordRejectedException.Reason.NO_ASSISTANT_TURN,
                    "conversation of " + conversation.size() + " turns has no assistant turn, so nothing would train"
                            + "; add the assistant's answer or set trainOnPrompt");
        }
        String full = render(conversation, false);
        long[] ids = tokenizer.encode(full);
        if (ids.length == 0) {
            throw new RecordRejectedException(RecordRejectedException.Reason.INVALID_RECORD,
                    "the chat template renders the conversation as empty text");
        }
        checkSingleBos(ids);
        long[] labels = new long[ids.length];
        if (trainOnPrompt) {
            System.arraycopy(ids, 0, labels, 0, ids.length);
        } else {
            Arrays.fill(labels, IGNORE_INDEX);
            for (int k = 0; k < conversation.size(); k++) {
                if ("assistant".equals(conversation.get(k).role())) {
                    int[] span = assistantSpan(conversation, k, full, ids);
                    System.arraycopy(ids, span[0], labels, span[0], span[1] - span[0]);
                }
            }
        }
        boolean truncated = ids.length > maxSeqLength;
        if (truncated) {
            ids = Arrays.copyOf(ids, maxSeqLength);
            labels = Arrays.copyOf(labels, maxSeqLength);
        }
        if (!hasTarget(labels)) {
            if (truncated) {
                throw new RecordRejectedException(RecordRejectedException.Reason.TRUNCATED_AWAY,
                        "every assistant token lies beyond maxSeqLength = " + maxSeqLength + " (the conversation has "
                                + tokenizer.encode(full).length + " tokens); raise maxSeqLength or shorten the prompt");
            }
            throw new RecordRejectedException(RecordRejectedException.Reason.NO_ASSISTANT_TURN,
                    "no token after the first is a target; the assistant turns render as nothing");
        }
        return new TokenizedExample(ids, labels, truncated);
    }

    /** Token range [start, end) of assistant turn k in {@code ids}, end-of-turn marker included. */
    private int[] assistantSpan(List<Message> conversation, int k, String full, long[] ids) {
        String prompt = render(conversation.subList(0, k), true);
        String done = render(conversation.subList(0, k + 1), false);
        if (!done.startsWith(prompt)) {
            throw unstable(k, "the text up to the generation prompt", prompt, "the text with the answer", done);
        }
        if (!full.startsWith(done)) {
            throw unstable(k, "the text up to this turn", done, "the whole conversation", full);
        }
        long[] promptIds = tokenizer.encode(prompt);
        long[] doneIds = tokenizer.encode(done);
        checkTokenPrefix(k, "the generation prompt", promptIds, "the text with the answer", doneIds);
        checkTokenPrefix(k, "the text up to this turn", doneIds, "the whole conversation", ids);
        int start = promptIds.length;
        int end = doneIds.length;
        for (int i = end - 1; i >= start; i--) {
            if (tokenizer.isSpecial(doneIds[i]) || tokenizer.specialTokens().isEos(doneIds[i])) {
                return new int[] {start, i + 1};
            }
        }
        return new int[] {start, end};
    }

    private String render(List<Message> messages, boolean addGenerationPrompt) {
        try {
            return template.render(messages, addGenerationPrompt);
        } catch (ChatTemplateException e) {
            throw new RecordRejectedException(RecordRejectedException.Reason.TEMPLATE_FAILED,
                    "rendering " + messages.size() + " turn(s) failed: " + e.getMessage(), e);
        }
    }

    /** BOS comes from the template only; a template that writes it twice is refused. */
    private void checkSingleBos(long[] ids) {
        Long bos = tokenizer.specialTokens().bosId();
        if (bos != null && ids.length > 1 && ids[0] == bos && ids[1] == bos) {
            throw new RecordRejectedException(RecordRejectedException.Reason.TEMPLATE_FAILED,
                    "the rendered conversation starts with BOS (id " + bos + ") twice; the chat template writes"
                            + " bos_token and the text must not repeat it");
        }
    }

    private static boolean hasTarget(long[] labels) {
        for (int t = 1; t < labels.length; t++) {
            if (labels[t] != IGNORE_INDEX) {
                return true;
            }
        }
        return false;
    }

    private static RecordRejectedException unstable(int turn, String prefixName, String prefix, String wholeName,
                                                    String whole) {
        int at = 0;
        while (at < prefix.length() && at < whole.length() && prefix.charAt(at) == whole.charAt(at)) {
            at++;
        }
        return new RecordRejectedException(RecordRejectedException.Reason.TEMPLATE_NOT_PREFIX_STABLE,
                "assistant turn " + turn + ": the chat template renders " + prefixName + " so that it is not a prefix"
                        + " of " + wholeName + " (they part at character " + at + ": " + snippet(prefix, at) + " vs "
                        + snippet(whole, at) + "); the answer's tokens cannot be located, so the record is refused"
                        + " rather than labelled wrongly");
    }

    private void checkTokenPrefix(int turn, String prefixName, long[] prefix, String wholeName, long[] whole) {
        int at = 0;
        while (at < prefix.length && at < whole.length && prefix[at] == whole[at]) {
            at++;
        }
        if (at == prefix.length) {
            return;
        }
        throw new RecordRejectedException(RecordRejectedException.Reason.TEMPLATE_NOT_PREFIX_STABLE,
                "assistant turn " + turn + ": the tokens of " + prefixName + " are not a prefix of the tokens of "
                        + wholeName + " (token " + at + " is " + prefix[at] + " '" + tokenizer.decode(
                        new long[] {prefix[at]}, false) + "' vs " + (at < whole.length ? whole[at] + " '"
                        + tokenizer.decode(new long[] {whole[at]}, false) + "'" : "the end") + "); the tokenizer merges"
                        + " across the turn boundary, so the record is refused rather than labelled wrongly");
    }

    private static String snippet(String text, int at) {
        int from = Math.max(0, at - 10);
        int to = Math.min(text.length(), at + 20);
        return "\"" + (from > 0 ? "…" : "") + text.substring(from, to).replace("\n", "\\n")
                + (to < text.length() ? "…" : "") + "\"";
    }
}
