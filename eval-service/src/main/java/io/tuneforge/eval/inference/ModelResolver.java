package io.tuneforge.eval.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.eval.config.EvalConfig;
import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.S3Uri;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a request's {@code model} names. In order:
 * <ol>
 *   <li>a name configured under {@code tuneforge.eval.inference.models.<name>} → its URI (then as 3);</li>
 *   <li>{@code run:<runId>} → the run's adapter {@code runs/{runId}/adapter/} over the run's base model (the
 *       {@code baseModel} of {@code runs/{runId}/request.json}, else the adapter's {@code base_model_name_or_path}
 *       when that is an {@code s3://} URI) — a registered model version;</li>
 *   <li>an {@code s3://} prefix → a base model when it holds {@code config.json}, an adapter (over its base, found as
 *       in 2) when it holds {@code adapter_config.json};</li>
 *   <li>a plain name {@code x} with {@code models/x/config.json} in the service's bucket → that base model.</li>
 * </ol>
 * Anything else is a 404 {@code model_not_found} saying what was looked for.
 */
@ApplicationScoped
public class ModelResolver {

    public static final String RUN_PREFIX = "run:";
    private static final int MAX_LISTED_RUNS = 200;

    private final ArtifactStore store;
    private final BucketStores buckets;
    private final EvalConfig config;

    public ModelResolver(ArtifactStore store, BucketStores buckets, EvalConfig config) {
        this.store = store;
        this.buckets = buckets;
        this.config = config;
    }

    /**
     * @throws OpenAiException 400 for a missing name, 404 model_not_found for one that names nothing served
     */
    public ModelRef resolve(String name) {
        if (name == null || name.isBlank()) {
            throw OpenAiException.invalid("model", "you must provide a model parameter, e.g. \"run:<runId>\", a name"
                    + " from GET /v1/models or an s3:// URI of a model");
        }
        String configured = config.inference().models().get(name);
        if (configured != null) {
            return fromUri(name, configured);
        }
        if (name.startsWith(RUN_PREFIX)) {
            String runId = name.substring(RUN_PREFIX.length());
            if (!ObjectKeys.isValidId(runId)) {
                throw OpenAiException.modelNotFound(name, "'" + runId + "' is not a run id (" + ObjectKeys.ID_RULE + ")");
            }
            String adapter = store.uri(ObjectKeys.runAdapter(runId)).toString();
            if (!exists(adapter, "adapter_config.json")) {
                throw OpenAiException.modelNotFound(name, "run " + runId + " has no adapter (" + adapter
                        + "adapter_config.json does not exist)");
            }
            return new ModelRef(name, baseOfAdapter(name, adapter), adapter);
        }
        if (name.startsWith("s3://")) {
            return fromUri(name, name);
        }
        if (ObjectKeys.isValidId(name) && store.exists(ObjectKeys.modelPrefix(name) + "config.json")) {
            return new ModelRef(name, store.uri(ObjectKeys.modelPrefix(name)).toString(), null);
        }
        throw OpenAiException.modelNotFound(name, "it is not a configured name, not run:<runId>, not an s3:// URI and"
                + " there is no " + store.uri(ObjectKeys.modelPrefix(ObjectKeys.isValidId(name) ? name : "<name>"))
                + "config.json");
    }

    private ModelRef fromUri(String name, String uri) {
        String prefix = uri.endsWith("/") ? uri : uri + "/";
        try {
            S3Uri.parse(prefix);
        } catch (IllegalArgumentException e) {
            throw OpenAiException.modelNotFound(name, e.getMessage());
        }
        if (exists(prefix, "config.json")) {
            return new ModelRef(name, prefix, null);
        }
        if (exists(prefix, "adapter_config.json")) {
            return new ModelRef(name, baseOfAdapter(name, prefix), prefix);
        }
        throw OpenAiException.modelNotFound(name, prefix + " holds neither config.json (a model) nor"
                + " adapter_config.json (an adapter)");
    }

    /** The base model of an adapter: its run's request, else its own base_model_name_or_path when that is s3://. */
    private String baseOfAdapter(String name, String adapterPrefix) {
        S3Uri adapter = S3Uri.parse(adapterPrefix);
        String key = adapter.key();
        if (key.startsWith("runs/") && key.endsWith("/adapter/")) {
            String request = key.substring(0, key.length() - "adapter/".length()) + "request.json";
            ArtifactStore runStore = buckets.forBucket(adapter.bucket());
            if (runStore.exists(request)) {
                JsonNode base = runStore.getJson(request, JsonNode.class).get("baseModel");
                if (base != null && base.isTextual() && base.asText().startsWith("s3://")) {
                    return base.asText().endsWith("/") ? base.asText() : base.asText() + "/";
                }
            }
        }
        JsonNode config = buckets.forBucket(adapter.bucket()).getJson(key + "adapter_config.json", JsonNode.class);
        String base = config.path("base_model_name_or_path").asText("");
        if (base.startsWith("s3://")) {
            return base.endsWith("/") ? base : base + "/";
        }
        String configured = this.config.inference().models().get(base);
        if (configured != null && exists(configured.endsWith("/") ? configured : configured + "/", "config.json")) {
            return configured.endsWith("/") ? configured : configured + "/";
        }
        throw OpenAiException.modelNotFound(name, "the base model of adapter " + adapterPrefix + " is unknown: no run"
                + " request.json names it and its base_model_name_or_path '" + base + "' is not an s3:// URI or a"
                + " configured name");
    }

    private boolean exists(String prefix, String file) {
        return buckets.exists(BucketStores.resolve(prefix, file));
    }

    /**
     * Models to list: configured names, {@code models/*} of the service's bucket, and {@code run:<runId>} for runs
     * with an adapter (the first {@value #MAX_LISTED_RUNS} runs in key order). Name → (base or adapter) URI.
     */
    public Map<String, String> list() {
        Map<String, String> out = new LinkedHashMap<>(config.inference().models());
        for (ObjectInfo o : store.list("models/", false)) {
            if (o.isPrefix()) {
                String name = o.key().substring("models/".length(), o.key().length() - 1);
                out.putIfAbsent(name, store.uri(o.key()).toString());
            }
        }
        List<String> runs = new ArrayList<>();
        for (ObjectInfo o : store.list("runs/", false)) {
            if (o.isPrefix() && runs.size() < MAX_LISTED_RUNS) {
                runs.add(o.key().substring("runs/".length(), o.key().length() - 1));
            }
        }
        for (String runId : runs) {
            if (ObjectKeys.isValidId(runId) && store.exists(ObjectKeys.runAdapter(runId) + "adapter_config.json")) {
                out.putIfAbsent(RUN_PREFIX + runId, store.uri(ObjectKeys.runAdapter(runId)).toString());
            }
        }
        return out;
    }
}
