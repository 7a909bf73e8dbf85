package io.tuneforge.trainer.service;

import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.training.TrainingRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * What the platform refuses although the request is well formed: the local-run forms of the request (files and
 * directories on someone's laptop) mean nothing to a trainer replica, which reads only the object store.
 */
public final class PlatformRequestRules {

    public static final String LOCAL_DATASET_REASON = "dataset.path is for local runs (tuneforge train); the platform"
            + " needs dataset.id and dataset.version of a dataset prepared by data-service";

    private PlatformRequestRules() {
    }

    /** Every platform-only problem of {@code request}; empty when the object store can serve it. */
    public static List<FieldError> check(TrainingRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.dataset() != null && request.dataset().path() != null && request.dataset().id() == null) {
            errors.add(new FieldError("dataset.path", LOCAL_DATASET_REASON + ", got path '"
                    + request.dataset().path() + "'"));
        }
        String baseModel = request.baseModel();
        if (baseModel != null && !baseModel.isBlank() && !baseModel.startsWith("s3://")) {
            errors.add(new FieldError("baseModel", "a local model directory is for local runs (tuneforge train); the"
                    + " platform needs s3://<bucket>/models/<name>/ (upload it with tuneforge models import), got '"
                    + baseModel + "'"));
        }
        return errors;
    }
}
