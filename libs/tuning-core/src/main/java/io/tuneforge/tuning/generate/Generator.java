package io.tuneforge.tuning.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.model.KvCache;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Batched autoregressive generation over {@link LlamaModel#forward} with a KV cache.
 *
 * <p>Shapes: B rows, T the longest prompt, V the vocabulary, S = T + maxNewTokens.
 * <ol>
 *   <li>Prompts are LEFT-padded to T (pad id, mask 0), so every row's last prompt token sits at
 *       position T - 1 and its next token is read from the same column. The model derives
 *       position ids from the mask, so a padded row sees the same positions as alone.</li>
 *   <li>Prefill: one forward over (B, T) fills the cache; the last column's logits (B, V) go to
 *       Java, where {@link TokenSampler} picks each row's token.</li>
 *   <li>Decode: one forward per step over (B, 1); the cache keeps keys, values and the mask of
 *       everything before. A finished row is fed the pad id with mask 0 until the batch ends, so
 *       its state no longer changes and the other rows never attend to its padding.</li>
 *   <li>A row finishes on any EOS id, on a stop string in its decoded tail, or at maxNewTokens.</li>
 * </ol>
 * Each forward runs in a sub-manager of the model's manager that is closed at the end of its step,
 * so only the cache keeps memory between steps. A step reads the logits to Java once (its only host
 * copy). The decode steps of a small model run with one intra-op thread ({@link #withDecodeThreads}).
 * Not thread-safe per instance (one batch at a time).
 */
public final class Generator {

    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final int decodeThreads;

    public Generator(LlamaModel model, TextTokenizer tokenizer) {
        this(model, tokenizer, DecodeThreads.AUTO);
    }

    private Generator(LlamaModel model, TextTokenizer tokenizer, int decodeThreads) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.decodeThreads = decodeThreads;
    }

    /**
     * A generator whose decode steps run with {@code threads} intra-op threads on the CPU: 0 = the engine's
     * setting ({@code ai.djl.pytorch.num_threads}), N &gt; 0 = N, -1 = automatic (the default: one thread for
     * small models, where waking a second thread per op costs more than it saves; see DecodeThreads). The
     * prefill always runs with the engine's setting.
     */
    public Generator withDecodeThreads(int threads) {
        if (threads < DecodeThreads.AUTO) {
            throw new IllegalArgumentException("decode threads must be -1 (automatic), 0 (the engine's setting) or"
                    + " a positive count, got " + threads);
        }
        return new Generator(model, tokenizer, threads);
    }

    /** The intra-op threads this generator's decode steps use for {@code rows} rows; 0 = the engine's setting. */
    public int decodeThreads(int rows) {
        return DecodeThreads.choose(decodeThreads, model, rows);
    }

    public LlamaModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Generates a continuation of one prompt. */
    public GenerationResult generate(long[] prompt, GenerationConfig config) {
        return generate(List.of(prompt), config).get(0);
    }

    /** Generates continuations of several prompts in one left-padded batch. */
    public List<GenerationResult> generate(List<long[]> prompts, GenerationConfig config) {
        return generateBatch(prompts, config).rows();
    }

    /** Encodes the texts (no special tokens added) and generates their continuations. */
    public List<GenerationResult> generateText(List<String> prompts, GenerationConfig config) {
        List<long[]> ids = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            ids.add(tokenizer.encode(prompt));
        }
        return generate(ids, config);
    }

    /** As {@link #generate(List, GenerationConfig)}, with the time of prefill and decoding. */
    public BatchGeneration generateBatch(List<long[]> prompts, GenerationConfig config) {
        int batch = prompts.size();
        int vocab = model.config().vocabSize();
        int promptLength = checkPrompts(prompts, vocab, config);
        Set<Long> eos = config.eosIds().isEmpty() ? tokenizer.specialTokens().eosIds() : config.eosIds();
        long pad = tokenizer.specialTokens().padIdOrEos();
        StopStrings stops = new StopStrings(config.stopStrings());

        long[] ids = new long[batch * promptLength];             // (B, T) left-padded
        long[] mask = new long[batch * promptLength];            // (B, T) 1 = token, 0 = padding
        Row[] rows = new Row[batch];
        for (int b = 0; b < batch; b++) {
            long[] prompt = prompts.get(b);
            int offset = promptLength - prompt.length;
            Arrays.fill(ids, b * promptLength, b * promptLength + offset, pad);
            System.arraycopy(prompt, 0, ids, b * promptLength + offset, prompt.length);
            Arrays.fill(mask, b * promptLength + offset, (b + 1) * promptLength, 1L);
            rows[b] = new Row(prompt.length, config);
        }

        long prefillNanos;
        long decodeNanos;
        int steps;
        try (KvCache cache = model.newCache(batch, promptLength + config.maxNewTokens())) {
            long start = System.nanoTime();
            float[] logits = forwardLast(ids, mask, batch, promptLength, cache);   // (B × V)
            prefillNanos = System.nanoTime() - start;

            start = System.nanoTime();
            int restore = DecodeThreads.enter(decodeThreads(batch));
            try {
                decode(logits, rows, pad, eos, stops, config, cache);
            } finally {
                DecodeThreads.exit(restore);
            }
            decodeNanos = System.nanoTime() - start;
            steps = cache.length() - promptLength;
        }

        List<GenerationResult> results = new ArrayList<>(batch);
        for (Row row : rows) {
            results.add(row.result(tokenizer, stops));
        }
        return new BatchGeneration(results, promptLength, prefillNanos, steps, decodeNanos);
    }

    /** Samples from {@code logits} (B × V) and runs one-token steps until every row has finished. */
    private void decode(float[] logits, Row[] rows, long pad, Set<Long> eos, StopStrings stops,
                        GenerationConfig config, KvCache cache) {
        int batch = rows.length;
        int vocab = model.config().vocabSize();
        while (true) {
            long[] next = new long[batch];                   // (B, 1)
            long[] nextMask = new long[batch];               // (B, 1) 0 for finished rows
            boolean active = false;
            for (int b = 0; b < batch; b++) {
                Row row = rows[b];
                next[b] = pad;
                if (row.finished != null) {
                    continue;
                }
                long token = TokenSampler.next(logits, b * vocab, vocab, config, row.rng);
                row.append(token, eos, stops, tokenizer, config.maxNewTokens());
                if (row.finished == null) {
                    next[b] = token;
                    nextMask[b] = 1L;
                    active = true;
                }
            }
            if (!active) {
                return;
            }
            logits = forwardLast(next, nextMask, batch, 1, cache);
        }
    }

    /**
     * One forward step in its own sub-manager: ids and mask (B, n) of the new tokens (the cache
     * remembers the earlier mask); returns the last position's logits as a (B × V) float array. A mask without
     * padding is passed as null (every token real), so the cache needs no key bias and the layers no mask add
     * until some row is padded.
     */
    private float[] forwardLast(long[] ids, long[] mask, int batch, int n, KvCache cache) {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray input = step.create(ids, new Shape(batch, n));                 // (B, n)
            NDArray attention = Arrays.stream(mask).allMatch(m -> m == 1L) ? null
                    : step.create(mask, new Shape(batch, n));                         // (B, n) or null: no padding
            NDArray last = model.forwardLast(input, attention, cache);            // (B, V) float32
            return last.toFloatArray();
        }
    }

    private int checkPrompts(List<long[]> prompts, int vocab, GenerationConfig config) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must not be empty");
        }
        int longest = 0;
        for (int b = 0; b < prompts.size(); b++) {
            long[] prompt = prompts.get(b);
            if (prompt.length == 0) {
                throw new IllegalArgumentException("prompt " + b + " is empty; it needs at least one token");
            }
            for (long id : prompt) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("prompt " + b + " holds token id " + id
                            + ", outside the model's vocabulary [0, " + vocab + ")");
                }
            }
            longest = Math.max(longest, prompt.length);
        }
        int limit = model.config().maxPositionEmbeddings();
        if (longest + config.maxNewTokens() > limit) {
            throw new IllegalArgumentException("longest prompt (" + longest + " tokens) + maxNewTokens ("
                    + config.maxNewTokens() + ") exceeds the model's max_position_embeddings " + limit
                    + "; shorten the prompt or lower maxNewTokens");
        }
        return longest;
    }

    /** One row's state during generation. */
    private static final class Row {
        final int promptTokens;
        final SplittableRandom rng;
        long[] tokens;
        int size;
        FinishReason finished;

        Row(int promptTokens, GenerationConfig config) {
            this.promptTokens = promptTokens;
            this.rng = new SplittableRandom(config.seed());
            this.tokens = new long[Math.min(config.maxNewTokens(), 64)];
        }

        void append(long token, Set<Long> eos, StopStrings stops, TextTokenizer tokenizer, int maxNewTokens) {
            if (size == tokens.length) {
                tokens = Arrays.copyOf(tokens, Math.min(maxNewTokens, tokens.length * 2));
            }
            tokens[size++] = token;
            if (eos.contains(token)) {
                finished = FinishReason.EOS;
            } else if (stops.matchesTail(tokenizer, tokens, size)) {
                finished = FinishReason.STOP_STRING;
            } else if (size >= maxNewTokens) {
                finished = FinishReason.LENGTH;
            }
        }

        GenerationResult result(TextTokenizer tokenizer, StopStrings stops) {
            long[] generated = Arrays.copyOf(tokens, size);
            long[] visible = finished == FinishReason.EOS ? Arrays.copyOf(generated, size - 1) : generated;
            String text = tokenizer.decode(visible, true);
            if (finished == FinishReason.STOP_STRING) {
                text = stops.cut(text);
            }
            return new GenerationResult(generated, text, finished, promptTokens);
        }
    }
}
