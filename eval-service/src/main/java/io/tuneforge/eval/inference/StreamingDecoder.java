package io.tuneforge.eval.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.generate.GenerationConfig;
import io.tuneforge.tuning.generate.TokenSampler;
import io.tuneforge.tuning.model.KvCache;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import io.tuneforge.tuning.train.GradMode;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Decodes one prompt token by token and hands out text as soon as it is final — what SSE streaming needs.
 *
 * <ol>
 *   <li>Prefill: one forward over the prompt (1, T) fills a KV cache of T + maxNewTokens slots.</li>
 *   <li>Each step: {@link TokenSampler} picks the next token from the last logits (greedy, or temperature /
 *       top-p / top-k from the request's seed), then one forward over (1, 1).</li>
 *   <li>Text: all generated tokens are decoded again after each step (special tokens skipped), and the part not
 *       yet handed out becomes the next delta — except a trailing U+FFFD (a character whose bytes are still
 *       incomplete) and a tail that could be the start of a stop string, which wait for the next token.</li>
 *   <li>Stops: an EOS id ({@code stop}), a stop string ({@code stop}, text cut before it), {@code maxNewTokens}
 *       ({@code length}), or the listener declining more ({@code cancelled}: the client went away).</li>
 * </ol>
 * Each forward runs in a sub-manager closed at the end of its step; autograd is off.
 */
final class StreamingDecoder {

    /** Receives text deltas; returns false to stop (the client disconnected). */
    interface Listener {
        boolean onText(String delta);
    }

    /**
     * @param finishReason {@code stop}, {@code length} or {@code cancelled}
     * @param completionTokens tokens generated (the EOS token included)
     */
    record Result(String text, String finishReason, int promptTokens, int completionTokens) {
    }

    private StreamingDecoder() {
    }

    static Result decode(LlamaModel model, TextTokenizer tokenizer, long[] prompt, GenerationConfig config,
                         Listener listener) {
        int vocab = model.config().vocabSize();
        Set<Long> eos = config.eosIds().isEmpty() ? tokenizer.specialTokens().eosIds() : config.eosIds();
        List<String> stops = config.stopStrings();
        SplittableRandom rng = new SplittableRandom(config.seed());
        long[] generated = new long[config.maxNewTokens()];
        int size = 0;
        String emitted = "";
        String finish = "length";
        String text = "";
        try (GradMode off = GradMode.disabled();
             KvCache cache = model.newCache(1, prompt.length + config.maxNewTokens())) {
            float[] logits = forwardLast(model, prompt, cache);                                 // (V)
            while (true) {
                long token = TokenSampler.next(logits, 0, vocab, config, rng);
                generated[size++] = token;
                if (eos.contains(token)) {
                    finish = "stop";
                    text = tokenizer.decode(Arrays.copyOf(generated, size - 1), true);
                    break;
                }
                String full = tokenizer.decode(Arrays.copyOf(generated, size), true);
                int cut = earliestStop(full, stops);
                if (cut >= 0) {
                    text = full.substring(0, cut);
                    finish = "stop";
                    break;
                }
                text = full;
                if (size >= config.maxNewTokens()) {
                    break;
                }
                if (!full.endsWith("\uFFFD") && full.startsWith(emitted)) {
                    int ready = full.length() - heldBack(full, stops);
                    if (ready > emitted.length()) {
                        if (!listener.onText(full.substring(emitted.length(), ready))) {
                            return new Result(full.substring(0, ready), "cancelled", prompt.length, size);
                        }
                        emitted = full.substring(0, ready);
                    }
                }
                logits = forwardLast(model, new long[] {token}, cache);
            }
        }
        if (text.startsWith(emitted) && text.length() > emitted.length()) {
            listener.onText(text.substring(emitted.length()));
        }
        return new Result(text, finish, prompt.length, size);
    }

    /** Index of the earliest stop string in {@code text}, or -1. */
    static int earliestStop(String text, List<String> stops) {
        int best = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** Length of the longest tail of {@code text} that is a proper prefix of a stop string (kept back). */
    static int heldBack(String text, List<String> stops) {
        int held = 0;
        for (String stop : stops) {
            for (int n = Math.min(stop.length() - 1, text.length()); n > held; n--) {
                if (text.endsWith(stop.substring(0, n))) {
                    held = n;
                    break;
                }
            }
        }
        return held;
    }

    /** One forward of (1, n) new tokens in its own sub-manager; the last position's logits as a Java array. */
    private static float[] forwardLast(LlamaModel model, long[] ids, KvCache cache) {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray input = step.create(ids, new Shape(1, ids.length));                          // (1, n)
            long[] ones = new long[ids.length];
            Arrays.fill(ones, 1L);
            NDArray mask = step.create(ones, new Shape(1, ids.length));                         // (1, n)
            return model.forwardLast(input, mask, cache).toFloatArray();                        // (V)
        }
    }
}
