package io.tuneforge.trainer.service;

import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.DatasetSpec;
import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.S3Uri;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Checks that what a request names is in the object store, and says what to do when it is not. A dataset version
 * exists once its {@code manifest.json} does (the manifest is written last); a base model exists when its prefix
 * holds a Hugging Face {@code config.json}. A base model may live in another bucket of the same store.
 */
@ApplicationScoped
public class ArtifactChecks {

    public static final String MODEL_CONFIG = "config.json";

    private final ArtifactStore store;
    private final BucketStores buckets;

    public ArtifactChecks(ArtifactStore store, BucketStores buckets) {
        this.store = store;
        this.buckets = buckets;
    }

    /** Empty when the dataset version is in the store; else what is missing and how to get it there. */
    public Optional<String> missingDataset(DatasetSpec dataset) {
        String manifest = ObjectKeys.datasetManifest(dataset.id(), dataset.version());
        if (store.exists(manifest)) {
            return Optional.empty();
        }
        return Optional.of("Dataset '" + dataset.id() + "' version " + dataset.version() + " not found: "
                + store.uri(manifest) + " does not exist. Upload or import the data through data-service"
                + " (tuneforge datasets upload) and use the id and version of its DatasetPrepared event.");
    }

    /** Empty when {@code baseModel} (an s3:// prefix) holds a {@code config.json}; else what is missing and what to do. */
    public Optional<String> missingBaseModel(String baseModel) {
        S3Uri config = BucketStores.resolve(baseModel, MODEL_CONFIG);
        if (buckets.exists(config)) {
            return Optional.empty();
        }
        return Optional.of("Base model " + baseModel + " not found: " + config
                + " does not exist. Upload the model in Hugging Face layout (config.json, *.safetensors,"
                + " tokenizer.json, tokenizer_config.json) under that prefix, e.g. with tuneforge models import.");
    }
}
