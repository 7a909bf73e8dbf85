package io.tuneforge.eval.inference;

import io.tuneforge.eval.config.EvalConfig;
import io.tuneforge.eval.storage.ModelFiles;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base models loaded for inference, at most {@code tuneforge.eval.inference.max-base-models}; loading another
 * closes the least recently used one no request is using. Each base is loaded once, whatever number of adapters
 * is served over it.
 */
@ApplicationScoped
public class ServedModels {

    private static final Logger LOG = Logger.getLogger(ServedModels.class);

    private final ModelFiles files;
    private final EvalConfig config;
    private final LinkedHashMap<String, ServedModel> loaded = new LinkedHashMap<>(4, 0.75f, true);

    public ServedModels(ModelFiles files, EvalConfig config) {
        this.files = files;
        this.config = config;
    }

    /** The base model of {@code baseUri}, loaded if needed; give it back with {@link #release}. */
    synchronized ServedModel acquire(String baseUri) {
        ServedModel served = loaded.get(baseUri);
        if (served == null) {
            evictIdle(config.inference().maxBaseModels() - 1);
            served = load(baseUri);
            loaded.put(baseUri, served);
        }
        served.users++;
        return served;
    }

    synchronized void release(ServedModel served) {
        served.users--;
        if (!loaded.containsValue(served) && served.users == 0) {
            served.close();
        }
    }

    /** Adapter URIs loaded over each base, for GET /v1/models. */
    synchronized Map<String, List<String>> loadedAdapters() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        loaded.forEach((uri, served) -> {
            if (served.lock().tryLock()) {
                try {
                    out.put(uri, served.adapters().loaded());
                } finally {
                    served.lock().unlock();
                }
            } else {
                out.put(uri, List.of());
            }
        });
        return out;
    }

    private void evictIdle(int keep) {
        Iterator<Map.Entry<String, ServedModel>> it = loaded.entrySet().iterator();
        List<ServedModel> closing = new ArrayList<>();
        while (loaded.size() - closing.size() > Math.max(0, keep) && it.hasNext()) {
            Map.Entry<String, ServedModel> eldest = it.next();
            it.remove();
            closing.add(eldest.getValue());
            LOG.infof("Unloading base model %s (max-base-models = %d)", eldest.getKey(),
                    config.inference().maxBaseModels());
        }
        closing.stream().filter(s -> s.users == 0).forEach(ServedModel::close);
    }

    private ServedModel load(String baseUri) {
        long t0 = System.nanoTime();
        Path dir;
        try {
            dir = files.fetch(baseUri);
        } catch (io.tuneforge.storage.NoSuchObjectException e) {
            throw new OpenAiException(404, "invalid_request_error", "model", "model_not_found", "The base model "
                    + baseUri + " has no files: " + e.getMessage());
        }
        LlamaModel model;
        try {
            model = LlamaModel.load(dir, DeviceSettings.auto());
        } catch (RuntimeException e) {
            throw new OpenAiException(500, "server_error", "model", "model_load_failed", "The base model " + baseUri
                    + " cannot be loaded: " + e.getMessage());
        }
        try {
            TextTokenizer tokenizer = TextTokenizer.load(dir);
            ServedModel served = new ServedModel(baseUri, model, tokenizer, config.inference().maxAdapters());
            LOG.infof("Serving base model %s (%.1f s to load)", baseUri, (System.nanoTime() - t0) / 1e9);
            return served;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw new OpenAiException(500, "server_error", "model", "model_load_failed", "The tokenizer of " + baseUri
                    + " cannot be loaded: " + e.getMessage());
        }
    }

    @PreDestroy
    synchronized void close() {
        loaded.values().forEach(ServedModel::close);
        loaded.clear();
    }
}
