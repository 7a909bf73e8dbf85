package io.tuneforge.registry.service;

import io.tuneforge.registry.persistence.ModelVersionEntity;
import io.tuneforge.registry.persistence.ModelVersionStatus;
import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.S3Uri;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether the artifact of a model version is complete in the store: a PEFT adapter directory holds
 * {@code adapter_config.json} and {@code adapter_model.safetensors}; a full model directory holds
 * {@code config.json} and at least one {@code .safetensors} file.
 */
@ApplicationScoped
public class ArtifactCheck {

    static final List<String> ADAPTER_FILES = List.of("adapter_config.json", "adapter_model.safetensors");
    static final String MODEL_CONFIG = "config.json";

    /**
     * The outcome of one check.
     *
     * @param status  READY, FAILED_REGISTRATION, or PENDING_REGISTRATION when the store could not be asked
     * @param message what was found or what is missing, naming the URI
     */
    public record Outcome(ModelVersionStatus status, String message) {
    }

    private final BucketStores stores;

    public ArtifactCheck(BucketStores stores) {
        this.stores = stores;
    }

    public Outcome check(String sourceUri, String kind) {
        S3Uri uri;
        try {
            uri = S3Uri.parse(sourceUri.endsWith("/") ? sourceUri : sourceUri + "/");
        } catch (IllegalArgumentException e) {
            return new Outcome(ModelVersionStatus.FAILED_REGISTRATION, "Source '" + sourceUri
                    + "' is not a directory in the object store: " + e.getMessage());
        }
        Set<String> files;
        try {
            files = stores.forBucket(uri.bucket()).list(uri.key(), true).stream()
                    .filter(o -> !o.isPrefix())
                    .map(ObjectInfo::key)
                    .map(k -> k.substring(uri.key().length()))
                    .collect(Collectors.toSet());
        } catch (RuntimeException e) {
            return new Outcome(ModelVersionStatus.PENDING_REGISTRATION, "Waiting for the object store to list "
                    + uri + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            return new Outcome(ModelVersionStatus.FAILED_REGISTRATION, "Nothing found at " + uri
                    + "; the run's " + kind + " was not published there");
        }
        List<String> missing = new ArrayList<>();
        if (ModelVersionEntity.KIND_MODEL.equals(kind)) {
            if (!files.contains(MODEL_CONFIG)) {
                missing.add(MODEL_CONFIG);
            }
            if (files.stream().noneMatch(f -> f.endsWith(".safetensors"))) {
                missing.add("*.safetensors");
            }
        } else {
            ADAPTER_FILES.stream().filter(f -> !files.contains(f)).forEach(missing::add);
        }
        if (!missing.isEmpty()) {
            return new Outcome(ModelVersionStatus.FAILED_REGISTRATION, "The " + kind + " at " + uri + " lacks "
                    + String.join(", ", missing) + " (found " + files.stream().sorted().toList() + ")");
        }
        return new Outcome(ModelVersionStatus.READY, "Found the " + kind + " at " + uri + " (" + files.size()
                + " files)");
    }
}
