package io.tuneforge.eval.inference;

import io.tuneforge.eval.config.EvalConfig;
import io.tuneforge.eval.storage.ModelFiles;
import io.tuneforge.storage.NoSuchObjectException;
import io.tuneforge.tuning.chat.ChatTemplateException;
import io.tuneforge.tuning.generate.GenerationConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs one completion: resolve the model name, take its base model (loaded once), load the adapter into the base's
 * {@link AdapterBank} if needed and switch to it (or to none), render and encode the prompt, decode. One
 * generation per base model at a time; other requests for it wait their turn.
 */
@ApplicationScoped
public class InferenceService {

    private final ModelResolver resolver;
    private final ServedModels models;
    private final ModelFiles files;
    private final EvalConfig config;

    public InferenceService(ModelResolver resolver, ServedModels models, ModelFiles files, EvalConfig config) {
        this.resolver = resolver;
        this.models = models;
        this.files = files;
        this.config = config;
    }

    public ModelRef resolve(String model) {
        return resolver.resolve(model);
    }

    /**
     * Generates the answer to {@code request} with {@code ref}, handing text to {@code listener} as it becomes final.
     *
     * @throws OpenAiException for a prompt or max_tokens that does not fit the context, an adapter that does not fit
     *     the base, or a model that cannot be loaded
     */
    public StreamingDecoder.Result complete(ModelRef ref, CompletionRequest request,
                                            StreamingDecoder.Listener listener) {
        ServedModel served = models.acquire(ref.baseUri());
        try {
            served.lock().lock();
            try {
                String adapterKey = ref.adapterUri();
                if (adapterKey != null && !served.adapters().contains(adapterKey)) {
                    try {
                        served.adapters().load(adapterKey, files.fetch(adapterKey));
                    } catch (IllegalArgumentException | NoSuchObjectException e) {
                        throw new OpenAiException(400, "invalid_request_error", "model", "adapter_load_failed",
                                "The adapter " + adapterKey + " of model '" + ref.name() + "' cannot be applied to "
                                        + ref.baseUri() + ": " + e.getMessage());
                    }
                }
                served.adapters().activate(adapterKey);
                long[] prompt;
                try {
                    prompt = request.messages() != null
                            ? served.tokenizer().encode(served.template().render(request.messages(), true))
                            : served.tokenizer().encode(request.prompt(), true);
                } catch (ChatTemplateException e) {
                    throw OpenAiException.invalid("messages", e.getMessage());
                }
                if (prompt.length == 0) {
                    throw OpenAiException.invalid("prompt", "the prompt is empty");
                }
                GenerationConfig generation = generation(request, prompt.length,
                        served.model().config().maxPositionEmbeddings());
                return StreamingDecoder.decode(served.model(), served.tokenizer(), prompt, generation, listener);
            } finally {
                served.lock().unlock();
            }
        } finally {
            models.release(served);
        }
    }

    /** Base URI → adapters loaded over it. */
    public java.util.Map<String, java.util.List<String>> loadedAdapters() {
        return models.loadedAdapters();
    }

    private GenerationConfig generation(CompletionRequest request, int promptTokens, int context) {
        int available = context - promptTokens;
        String param = request.messages() != null ? "messages" : "prompt";
        if (available < 1) {
            throw new OpenAiException(400, "invalid_request_error", param, "context_length_exceeded",
                    "This model's maximum context length is " + context + " tokens; your " + param + " has "
                            + promptTokens + " tokens, leaving none to generate. Shorten it.");
        }
        int max;
        if (request.maxTokens() != null) {
            max = request.maxTokens();
            if (max > available) {
                throw new OpenAiException(400, "invalid_request_error", "max_tokens", "context_length_exceeded",
                        "This model's maximum context length is " + context + " tokens. However, you requested "
                                + (promptTokens + max) + " tokens (" + promptTokens + " in the " + param + ", " + max
                                + " for the completion). Reduce max_tokens to at most " + available + ".");
            }
        } else {
            max = Math.min(config.inference().defaultMaxTokens(), available);
        }
        long seed = request.seed() != null ? request.seed() : new SplittableRandom().nextLong();
        return new GenerationConfig(max, request.temperature(), 0, request.topP(), seed, request.stop(), Set.of());
    }
}
