package io.tuneforge.tuning.generate;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How to generate: length, sampling and stopping.
 *
 * <p>Sampling follows transformers' warper order: logits / temperature, then top-k, then top-p,
 * then a draw from the renormalised distribution. Each row of a batch draws from its own
 * {@link java.util.SplittableRandom} seeded with {@link #seed()}, so a prompt gets the same
 * continuation whatever else is in the batch (and two equal prompts in one batch get equal ones).
 *
 * @param maxNewTokens most tokens to generate per row (≥ 1)
 * @param temperature 0 for greedy decoding (argmax), else &gt; 0
 * @param topK keep the k most likely tokens (ties at the k-th logit kept too); 0 = off
 * @param topP keep the smallest most-likely set with probability ≥ topP; 1 = off; in (0, 1]
 * @param seed seed of every row's random stream
 * @param stopStrings generation of a row stops once its text contains one of these; the returned
 *     text ends before it
 * @param eosIds token ids that end a row; empty = the tokenizer's checked EOS ids
 */
public record GenerationConfig(
        int maxNewTokens,
        double temperature,
        int topK,
        double topP,
        long seed,
        List<String> stopStrings,
        Set<Long> eosIds) {

    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be ≥ 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be 0 (greedy) or a finite positive number, got "
                    + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be ≥ 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
        }
        stopStrings = List.copyOf(stopStrings == null ? List.of() : stopStrings);
        for (String stop : stopStrings) {
            if (stop.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty, got " + stopStrings);
            }
        }
        eosIds = eosIds == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(eosIds));
    }

    /** Greedy decoding of up to {@code maxNewTokens}, stopping on the tokenizer's EOS ids. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, 0, 1, 0, List.of(), Set.of());
    }

    /** Sampling with temperature, top-k (0 = off) and top-p (1 = off) from {@code seed}. */
    public static GenerationConfig sampling(int maxNewTokens, double temperature, int topK, double topP, long seed) {
        if (temperature == 0) {
            throw new IllegalArgumentException("sampling needs temperature > 0; use greedy() for temperature 0");
        }
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, List.of(), Set.of());
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public GenerationConfig withStopStrings(List<String> stops) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, stops, eosIds);
    }

    public GenerationConfig withEosIds(Set<Long> ids) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, stopStrings, ids);
    }

    public GenerationConfig withSeed(long newSeed) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, newSeed, stopStrings, eosIds);
    }

    public GenerationConfig withMaxNewTokens(int tokens) {
        return new GenerationConfig(tokens, temperature, topK, topP, seed, stopStrings, eosIds);
    }
}
