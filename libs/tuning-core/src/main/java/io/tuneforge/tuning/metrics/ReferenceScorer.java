package io.tuneforge.tuning.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.data.BatchCollator;
import io.tuneforge.tuning.data.RecordRejectedException;
import io.tuneforge.tuning.data.SftEncoder;
import io.tuneforge.tuning.data.TokenizedExample;
import io.tuneforge.tuning.loss.CausalLmLoss;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import io.tuneforge.tuning.train.GradMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Teacher-forced log-likelihood of answers — of reference answers for perplexity, of chosen and
 * rejected answers for reward accuracy.
 *
 * <ol>
 *   <li>{@link #encode}: prompt + answer through the chat template with {@link SftEncoder}'s
 *       assistant-only labels, then every label before the answer's turn masked too (earlier
 *       assistant turns of a conversation are prompt here). The labels cover the answer and the
 *       template's end-of-turn token, as in SFT.</li>
 *   <li>{@link #score}: right-padded batches of {@code batchSize} rows → one forward each (no
 *       autograd) → {@code CausalLmLoss.sequenceLogProbs} (B,) → Java; each batch's logits live in a
 *       sub-manager closed before the next batch, so memory stays at one batch's (B, T, V).</li>
 * </ol>
 */
public final class ReferenceScorer {

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final SftEncoder encoder;
    private final BatchCollator collator;
    private final int batchSize;

    /**
     * @param maxSeqLength longest prompt + answer in tokens; longer ones are cut, and an answer cut away entirely
     *     is not scored
     * @param batchSize rows per forward pass
     */
    public ReferenceScorer(TextTokenizer tokenizer, ChatTemplate template, int maxSeqLength, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + " must be >= 1");
        }
        this.tokenizer = tokenizer;
        this.template = template;
        this.encoder = new SftEncoder(tokenizer, template, maxSeqLength, false);
        this.collator = new BatchCollator(Math.toIntExact(tokenizer.specialTokens().padIdOrEos()), false, maxSeqLength);
        this.batchSize = batchSize;
    }

    /** An answer after its prompt, encoded for scoring; {@link Encoded#problem()} says why not when it cannot be. */
    public Encoded encode(List<Message> prompt, String answer) {
        List<Message> conversation = new ArrayList<>(prompt);
        conversation.add(Message.assistant(answer));
        TokenizedExample full;
        try {
            full = encoder.encode(conversation);
        } catch (RecordRejectedException e) {
            return new Encoded(null, e.getMessage());
        }
        int promptTokens = tokenizer.encode(template.render(prompt, true)).length;
        long[] labels = full.labels();
        Arrays.fill(labels, 0, Math.min(promptTokens, labels.length), TokenizedExample.IGNORE_INDEX);
        TokenizedExample answerOnly = new TokenizedExample(full.inputIds(), labels, full.truncated());
        int targets = targets(answerOnly);
        if (targets == 0) {
            return new Encoded(null, "the prompt takes all " + encoder.maxSeqLength() + " tokens of maxSeqLength;"
                    + " no answer token is left to score");
        }
        return new Encoded(answerOnly, null);
    }

    /** Scores encoded answers with {@code model} (the one whose adapter state is active now), in order. */
    public List<AnswerScore> score(LlamaModel model, List<Encoded> answers) {
        List<AnswerScore> out = new ArrayList<>(answers.size());
        List<TokenizedExample> pending = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (Encoded e : answers) {
            out.add(e.example() == null ? AnswerScore.unscored(e.problem()) : null);
        }
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).example() != null) {
                pending.add(answers.get(i).example());
                slots.add(i);
            }
            if (pending.size() == batchSize || (i == answers.size() - 1 && !pending.isEmpty())) {
                float[] logProbs = logProbs(model, pending);
                for (int k = 0; k < pending.size(); k++) {
                    out.set(slots.get(k), new AnswerScore(logProbs[k], targets(pending.get(k)), null));
                }
                pending.clear();
                slots.clear();
            }
        }
        return out;
    }

    /** Σ log p of each row's labelled tokens: one forward without autograd, in its own sub-manager. */
    private float[] logProbs(LlamaModel model, List<TokenizedExample> rows) {
        try (GradMode off = GradMode.disabled();
             NDManager step = model.manager().newSubManager();
             Batch batch = collator.collate(rows, step)) {
            NDArray logits = model.forward(batch.inputIds(), batch.attentionMask(), null);      // (B, T, V)
            return CausalLmLoss.sequenceLogProbs(logits, batch.labels()).toFloatArray();       // (B,)
        }
    }

    /** Labels the causal loss counts: after the shift, so position 0 never does. */
    private static int targets(TokenizedExample example) {
        long[] labels = example.labels();
        int n = 0;
        for (int t = 1; t < labels.length; t++) {
            if (labels[t] != TokenizedExample.IGNORE_INDEX) {
                n++;
            }
        }
        return n;
    }

    /**
     * @param example the tokens and answer-only labels, or null
     * @param problem why it could not be encoded, or null
     */
    public record Encoded(TokenizedExample example, String problem) {
    }
}
