package io.tuneforge.eval.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/**
 * {@code tuneforge.eval.*}: where models are cached, the evaluation defaults a request may override, and the
 * OpenAI-compatible endpoint's models and limits.
 */
@ConfigMapping(prefix = "tuneforge.eval")
public interface EvalConfig {

    /** Local copies of models and adapters fetched from the object store ({@code <bucket>/<key>/...}). */
    @WithDefault("${java.io.tmpdir}/tuneforge-eval-cache")
    String cacheDir();

    /** Defaults of an evaluation; {@code maxSamples}, {@code maxNewTokens} and {@code metrics} of a request win. */
    Evaluation evaluation();

    Inference inference();

    /** DJL runtime settings, applied as system properties at start unless already given with -D. */
    Djl djl();

    interface Evaluation {
        @WithDefault("200")
        int maxSamples();

        @WithDefault("128")
        int maxNewTokens();

        /** Prompts per generation batch and rows per scoring forward. */
        @WithDefault("4")
        int batchSize();

        /** Longest prompt + reference when scoring perplexity. */
        @WithDefault("1024")
        int maxSeqLength();
    }

    interface Inference {
        /**
         * Names the endpoint serves besides {@code s3://} URIs and {@code run:<runId>}: name → {@code s3://} URI of a
         * base model or of an adapter, e.g. {@code tuneforge.eval.inference.models.tiny=s3://tuneforge/models/tiny/}.
         */
        Map<String, String> models();

        /** Adapters kept loaded over a base model; the least recently used is dropped first. */
        @WithDefault("4")
        int maxAdapters();

        /** Base models kept loaded; another base replaces the least recently used once no request uses it. */
        @WithDefault("1")
        int maxBaseModels();

        /** {@code max_tokens} when a request gives none (lowered to what fits the context). */
        @WithDefault("256")
        int defaultMaxTokens();
    }

    interface Djl {
        /** {@code ai.djl.offline}: natives come from the bundled pytorch-native-cpu jar, nothing is downloaded. */
        @WithDefault("true")
        boolean offline();

        /** {@code DJL_CACHE_DIR}: where the natives are unpacked on first use (about 430 MB). */
        @WithDefault("${user.home}/.djl.ai")
        String cacheDir();

        /** {@code ai.djl.pytorch.num_interop_threads}. */
        @WithDefault("1")
        int interopThreads();
    }
}
