package io.tuneforge.cli.model;

import io.tuneforge.tuning.model.ModelConfig;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge model init-tiny}: a deterministic Llama-architecture model with random weights, a byte-level
 * tokenizer and the ChatML template, in Hugging Face layout. Tests and the demo train it; benchmarks use bigger
 * sizes. The same seed and sizes always give the same bytes.
 */
@Command(name = "init-tiny", mixinStandardHelpOptions = true,
        description = "Write a deterministic tiny Llama model (random weights, byte-level tokenizer, ChatML) to DIR.")
public final class InitTinyCommand implements Callable<Integer> {

    private static final TinySpec DEFAULTS = TinySpec.defaults();

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory to write (created).")
    Path output;

    @Option(names = "--seed", description = "Seed of the weights. Default: 42.")
    long seed = DEFAULTS.seed();

    @Option(names = "--hidden-size", paramLabel = "H", description = "Default: 64.")
    int hiddenSize = DEFAULTS.hiddenSize();

    @Option(names = "--layers", paramLabel = "L", description = "Default: 2.")
    int layers = DEFAULTS.numLayers();

    @Option(names = "--heads", paramLabel = "A", description = "Attention heads. Default: 4.")
    int heads = DEFAULTS.numHeads();

    @Option(names = "--kv-heads", paramLabel = "K", description = "Key/value heads (grouped-query attention). Default: 2.")
    int kvHeads = DEFAULTS.numKvHeads();

    @Option(names = "--intermediate-size", paramLabel = "I", description = "MLP width. Default: 176.")
    int intermediateSize = DEFAULTS.intermediateSize();

    @Option(names = "--max-position", paramLabel = "P", description = "Context length. Default: 512.")
    int maxPosition = DEFAULTS.maxPositionEmbeddings();

    @Option(names = "--vocab-size", paramLabel = "V",
            description = "Embedding rows (>= 259; ids past the tokenizer's are unused). Default: 320.")
    int vocabSize = DEFAULTS.vocabSize();

    @Option(names = "--init-std", paramLabel = "S",
            description = "Standard deviation of the random weights. Default: 0.02 (as Hugging Face initialises);"
                    + " 0.2 leaves a frozen LM head room for LoRA to memorise, as the demo does.")
    double initStd = DEFAULTS.initStd();

    @Override
    public Integer call() {
        TinySpec sized = DEFAULTS.withSeed(seed)
                .withSizes(hiddenSize, layers, heads, kvHeads, intermediateSize)
                .withMaxPositionEmbeddings(maxPosition)
                .withVocabSize(vocabSize);
        TinySpec spec = new TinySpec(sized.seed(), sized.architecture(), sized.hiddenSize(), sized.numLayers(),
                sized.numHeads(), sized.numKvHeads(), sized.intermediateSize(), sized.vocabSize(),
                sized.maxPositionEmbeddings(), sized.ropeTheta(), sized.rmsNormEps(), sized.tieWordEmbeddings(),
                sized.ropeScaling(), sized.slidingWindow(), initStd);
        ModelConfig config = TinyModel.write(output, spec);
        System.out.printf("Wrote a tiny %s model to %s: hidden %d, %d layers, %d/%d heads, vocab %d%n",
                config.architecture(), output, config.hiddenSize(), config.numHiddenLayers(),
                config.numAttentionHeads(), config.numKeyValueHeads(), config.vocabSize());
        return 0;
    }
}
