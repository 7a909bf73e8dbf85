package io.tuneforge.tuning.tiny;

import io.tuneforge.tuning.model.ModelConfig;
import io.tuneforge.tuning.model.RopeScaling;

import java.util.List;

/**
 * The numbers of a tiny, deterministic Llama-architecture model ({@link TinyModel}).
 *
 * <p>Defaults ({@link #defaults()}): hidden 64, 2 layers, 4 heads / 2 KV heads (head 16),
 * intermediate 176, vocabulary 320 (256 bytes + 3 special tokens; ids ≥ 259 unused), 512
 * positions, rope theta 10000, untied LM head, Llama architecture. Benchmarks scale the size
 * fields up (e.g. ~100M parameters).
 *
 * @param seed every weight is a function of (seed, tensor name)
 * @param architecture {@link ModelConfig#LLAMA}, {@link ModelConfig#QWEN2} (q/k/v bias) or
 *     {@link ModelConfig#MISTRAL}
 * @param initStd standard deviation of linear and embedding weights (and biases); norms are 1
 */
public record TinySpec(long seed, String architecture, int hiddenSize, int numLayers, int numHeads, int numKvHeads,
                       int intermediateSize, int vocabSize, int maxPositionEmbeddings, double ropeTheta,
                       double rmsNormEps, boolean tieWordEmbeddings, RopeScaling ropeScaling, Integer slidingWindow,
                       double initStd) {

    public static final long DEFAULT_SEED = 42;
    /** Token ids of the byte-level tokenizer's special tokens. */
    public static final int END_OF_TEXT_ID = 256;
    public static final int IM_START_ID = 257;
    public static final int IM_END_ID = 258;

    public TinySpec {
        if (vocabSize < 259) {
            throw new IllegalArgumentException("vocabSize = " + vocabSize
                    + " must be >= 259 (256 byte tokens + <|endoftext|>, <|im_start|>, <|im_end|>)");
        }
        if (!(initStd > 0)) {
            throw new IllegalArgumentException("initStd = " + initStd + " must be > 0");
        }
        if (slidingWindow != null && !ModelConfig.MISTRAL.equals(architecture)) {
            throw new IllegalArgumentException("slidingWindow = " + slidingWindow + " needs architecture "
                    + ModelConfig.MISTRAL + ", not " + architecture);
        }
        config(architecture, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize, vocabSize,
                maxPositionEmbeddings, ropeTheta, rmsNormEps, tieWordEmbeddings, ropeScaling, slidingWindow);
    }

    /** The default tiny Llama. */
    public static TinySpec defaults() {
        return new TinySpec(DEFAULT_SEED, ModelConfig.LLAMA, 64, 2, 4, 2, 176, 320, 512, 10000.0, 1e-5,
                false, null, null, 0.02);
    }

    public TinySpec withSeed(long value) {
        return new TinySpec(value, architecture, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize,
                vocabSize, maxPositionEmbeddings, ropeTheta, rmsNormEps, tieWordEmbeddings, ropeScaling,
                slidingWindow, initStd);
    }

    /** Changes the size fields (what {@code tuneforge model init-tiny} exposes). */
    public TinySpec withSizes(int hidden, int layers, int heads, int kvHeads, int intermediate) {
        return new TinySpec(seed, architecture, hidden, layers, heads, kvHeads, intermediate, vocabSize,
                maxPositionEmbeddings, ropeTheta, rmsNormEps, tieWordEmbeddings, ropeScaling, slidingWindow, initStd);
    }

    public TinySpec withVocabSize(int value) {
        return new TinySpec(seed, architecture, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize,
                value, maxPositionEmbeddings, ropeTheta, rmsNormEps, tieWordEmbeddings, ropeScaling, slidingWindow,
                initStd);
    }

    public TinySpec withMaxPositionEmbeddings(int value) {
        return new TinySpec(seed, architecture, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize,
                vocabSize, value, ropeTheta, rmsNormEps, tieWordEmbeddings, ropeScaling, slidingWindow, initStd);
    }

    /** Qwen2 style: q/k/v bias and tied embeddings. */
    public TinySpec asQwen2() {
        return new TinySpec(seed, ModelConfig.QWEN2, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize,
                vocabSize, maxPositionEmbeddings, ropeTheta, rmsNormEps, true, ropeScaling, null, initStd);
    }

    /** Mistral with a sliding attention window. */
    public TinySpec asMistral(int window) {
        return new TinySpec(seed, ModelConfig.MISTRAL, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize,
                vocabSize, maxPositionEmbeddings, ropeTheta, rmsNormEps, tieWordEmbeddings, ropeScaling, window,
                initStd);
    }

    public TinySpec withRopeScaling(RopeScaling value) {
        return new TinySpec(seed, architecture, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize,
                vocabSize, maxPositionEmbeddings, ropeTheta, rmsNormEps, tieWordEmbeddings, value, slidingWindow,
                initStd);
    }

    public TinySpec withTiedEmbeddings(boolean value) {
        return new TinySpec(seed, architecture, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize,
                vocabSize, maxPositionEmbeddings, ropeTheta, rmsNormEps, value, ropeScaling, slidingWindow, initStd);
    }

    /** The config this spec writes; EOS = {@code <|im_end|>} and {@code <|endoftext|>}, PAD = {@code <|endoftext|>}. */
    public ModelConfig toConfig() {
        return config(architecture, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize, vocabSize,
                maxPositionEmbeddings, ropeTheta, rmsNormEps, tieWordEmbeddings, ropeScaling, slidingWindow);
    }

    private static ModelConfig config(String architecture, int hiddenSize, int numLayers, int numHeads,
                                      int numKvHeads, int intermediateSize, int vocabSize, int maxPositionEmbeddings,
                                      double ropeTheta, double rmsNormEps, boolean tieWordEmbeddings,
                                      RopeScaling ropeScaling, Integer slidingWindow) {
        boolean qwen2 = ModelConfig.QWEN2.equals(architecture);
        String modelType = architecture == null ? null : ModelConfig.SUPPORTED_ARCHITECTURES.get(architecture);
        if (modelType == null) {
            throw new IllegalArgumentException("architecture '" + architecture + "' is not supported; use one of "
                    + ModelConfig.SUPPORTED_ARCHITECTURES.keySet());
        }
        if (numHeads <= 0 || hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("hiddenSize = " + hiddenSize + " must be a multiple of numHeads = "
                    + numHeads);
        }
        return new ModelConfig(architecture, modelType, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads,
                numKvHeads, hiddenSize / numHeads, maxPositionEmbeddings, rmsNormEps, ropeTheta, ropeScaling,
                qwen2, false, false, tieWordEmbeddings, slidingWindow, null, List.of(IM_END_ID, END_OF_TEXT_ID),
                END_OF_TEXT_ID, "float32");
    }
}
