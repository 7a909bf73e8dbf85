package io.tuneforge.eval.inference;

import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.ChatTemplateException;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tokenizer.TextTokenizer;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One loaded base model with its tokenizer, chat template and {@link AdapterBank}. Requests take {@link #lock()}
 * for the whole generation: the adapter switch and the KV cache belong to one request at a time (fair, so requests
 * are served in arrival order). {@link #users} counts requests holding or waiting for it, so it is not closed under
 * them.
 */
final class ServedModel implements AutoCloseable {

    private final String baseUri;
    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final String templateProblem;
    private final AdapterBank adapters;
    private final ReentrantLock lock = new ReentrantLock(true);
    int users;

    ServedModel(String baseUri, LlamaModel model, TextTokenizer tokenizer, int maxAdapters) {
        this.baseUri = baseUri;
        this.model = model;
        this.tokenizer = tokenizer;
        ChatTemplate t = null;
        String problem = null;
        try {
            t = ChatTemplate.of(tokenizer);
        } catch (ChatTemplateException e) {
            problem = e.getMessage();
        }
        this.template = t;
        this.templateProblem = problem;
        this.adapters = new AdapterBank(model, maxAdapters);
    }

    String baseUri() {
        return baseUri;
    }

    LlamaModel model() {
        return model;
    }

    TextTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * @throws OpenAiException 400 when the model has no chat template (use /v1/completions)
     */
    ChatTemplate template() {
        if (template == null) {
            throw OpenAiException.invalid("messages", "this model has no chat template (" + templateProblem
                    + "); use POST /v1/completions with a plain prompt");
        }
        return template;
    }

    AdapterBank adapters() {
        return adapters;
    }

    ReentrantLock lock() {
        return lock;
    }

    @Override
    public void close() {
        adapters.close();
        tokenizer.close();
        model.close();
    }
}
