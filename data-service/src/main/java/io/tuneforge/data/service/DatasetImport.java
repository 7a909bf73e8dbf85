package io.tuneforge.data.service;

import io.tuneforge.contracts.dataset.DatasetImportRequested;
import io.tuneforge.contracts.dataset.DatasetRejected;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.data.messaging.DatasetEventPublisher;
import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.S3Uri;
import io.tuneforge.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Handles an import of an object already in the store as a new dataset version. What is real at this stage: the
 * command is checked (dataset id usable as a key, source an {@code s3://} URI of an existing object) and refused
 * with {@code DatasetRejected} naming the problem. A source that exists is accepted and logged; the preparation
 * pipeline (detect format, validate, clean, dedup, split, manifest, {@code DatasetPrepared}) arrives with the
 * data-service issue. No {@code DatasetPrepared} is emitted before a version really exists.
 */
@ApplicationScoped
public class DatasetImport {

    private static final Logger LOG = Logger.getLogger(DatasetImport.class);

    private final BucketStores buckets;
    private final DatasetEventPublisher events;

    public DatasetImport(BucketStores buckets, DatasetEventPublisher events) {
        this.buckets = buckets;
        this.events = events;
    }

    public void handle(String eventId, DatasetImportRequested command) {
        List<FieldError> errors = new ArrayList<>();
        if (!ObjectKeys.isValidId(command.datasetId())) {
            errors.add(new FieldError("datasetId", "expected " + ObjectKeys.ID_RULE + ", got '" + command.datasetId()
                    + "'"));
        }
        S3Uri source = null;
        try {
            source = S3Uri.parse(command.sourceUri());
            if (source.isPrefix()) {
                errors.add(new FieldError("sourceUri", "expected the URI of one file (JSONL, JSON array or CSV), got"
                        + " the prefix '" + command.sourceUri() + "'"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("sourceUri", e.getMessage()));
        }
        if (!errors.isEmpty()) {
            reject(command, "The import command has " + errors.size() + " invalid field"
                    + (errors.size() == 1 ? "" : "s") + "; fix " + String.join(", ",
                    errors.stream().map(FieldError::path).toList()) + " and send it again.", errors);
            return;
        }
        Optional<ObjectInfo> info;
        try {
            info = buckets.forBucket(source.bucket()).stat(source.key());
        } catch (StorageException e) {
            reject(command, "The source " + source + " could not be read: " + e.getMessage()
                    + ". Send the import again once /q/health/ready reports the object store UP.", List.of());
            return;
        }
        if (info.isEmpty()) {
            reject(command, "The source " + source + " does not exist. Upload the file first (tuneforge datasets"
                    + " upload, or any S3 client) and send the import with its s3:// URI.",
                    List.of(new FieldError("sourceUri", "no object at " + source)));
            return;
        }
        LOG.infof("Import of %s (%d bytes) as dataset %s accepted (event %s). The preparation pipeline arrives with"
                        + " the data-service issue: no version is written and no DatasetPrepared is emitted yet",
                source, info.get().size(), command.datasetId(), eventId);
    }

    private void reject(DatasetImportRequested command, String reason, List<FieldError> errors) {
        events.publish(new DatasetRejected(1, command.datasetId(), command.sourceUri(), reason, errors));
        LOG.infof("Import of %s as dataset %s rejected: %s", command.sourceUri(), command.datasetId(), reason);
    }
}
