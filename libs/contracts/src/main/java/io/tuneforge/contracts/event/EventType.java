package io.tuneforge.contracts.event;

import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.augmentation.AugmentationCompleted;
import io.tuneforge.contracts.augmentation.AugmentationFailed;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.dataset.DatasetImportRequested;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.dataset.DatasetRejected;
import io.tuneforge.contracts.evaluation.EvaluationCompleted;
import io.tuneforge.contracts.evaluation.EvaluationFailed;
import io.tuneforge.contracts.evaluation.EvaluationRequested;
import io.tuneforge.contracts.registry.AliasSet;
import io.tuneforge.contracts.registry.ModelVersionRegistered;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.contracts.training.TrainingCancelled;
import io.tuneforge.contracts.training.TrainingCheckpointed;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingProgress;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingStarted;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every CloudEvents {@code type} of the platform, with its payload class and the topic it travels on.
 * Types read {@code io.tuneforge.<aggregate>.<fact>}: past-tense facts for events, "requested" for commands.
 */
public enum EventType {

    DATASET_IMPORT_REQUESTED("io.tuneforge.dataset.import-requested", DatasetImportRequested.class, Topics.DATASET_COMMANDS),
    DATASET_PREPARED("io.tuneforge.dataset.prepared", DatasetPrepared.class, Topics.DATASET_EVENTS),
    DATASET_REJECTED("io.tuneforge.dataset.rejected", DatasetRejected.class, Topics.DATASET_EVENTS),

    AUGMENTATION_REQUESTED("io.tuneforge.augmentation.requested", AugmentationRequested.class, Topics.AUGMENTATION_COMMANDS),
    AUGMENTATION_COMPLETED("io.tuneforge.augmentation.completed", AugmentationCompleted.class, Topics.AUGMENTATION_EVENTS),
    AUGMENTATION_FAILED("io.tuneforge.augmentation.failed", AugmentationFailed.class, Topics.AUGMENTATION_EVENTS),

    TRAINING_REQUESTED("io.tuneforge.training.requested", TrainingRequest.class, Topics.TRAINING_COMMANDS),
    TRAINING_CANCEL_REQUESTED("io.tuneforge.training.cancel-requested", TrainingCancelRequested.class, Topics.TRAINING_COMMANDS),
    TRAINING_QUEUED("io.tuneforge.training.queued", TrainingQueued.class, Topics.TRAINING_EVENTS),
    TRAINING_STARTED("io.tuneforge.training.started", TrainingStarted.class, Topics.TRAINING_EVENTS),
    TRAINING_PROGRESS("io.tuneforge.training.progress", TrainingProgress.class, Topics.TRAINING_EVENTS),
    TRAINING_CHECKPOINTED("io.tuneforge.training.checkpointed", TrainingCheckpointed.class, Topics.TRAINING_EVENTS),
    TRAINING_COMPLETED("io.tuneforge.training.completed", TrainingCompleted.class, Topics.TRAINING_EVENTS),
    TRAINING_FAILED("io.tuneforge.training.failed", TrainingFailed.class, Topics.TRAINING_EVENTS),
    TRAINING_CANCELLED("io.tuneforge.training.cancelled", TrainingCancelled.class, Topics.TRAINING_EVENTS),

    EVALUATION_REQUESTED("io.tuneforge.evaluation.requested", EvaluationRequested.class, Topics.EVALUATION_COMMANDS),
    EVALUATION_COMPLETED("io.tuneforge.evaluation.completed", EvaluationCompleted.class, Topics.EVALUATION_EVENTS),
    EVALUATION_FAILED("io.tuneforge.evaluation.failed", EvaluationFailed.class, Topics.EVALUATION_EVENTS),

    MODEL_VERSION_REGISTERED("io.tuneforge.registry.model-version-registered", ModelVersionRegistered.class, Topics.REGISTRY_EVENTS),
    ALIAS_SET("io.tuneforge.registry.alias-set", AliasSet.class, Topics.REGISTRY_EVENTS);

    private final String type;
    private final Class<? extends EventPayload> payloadClass;
    private final String topic;

    EventType(String type, Class<? extends EventPayload> payloadClass, String topic) {
        this.type = type;
        this.payloadClass = payloadClass;
        this.topic = topic;
    }

    /** The CloudEvents {@code type} attribute. */
    public String type() {
        return type;
    }

    public Class<? extends EventPayload> payloadClass() {
        return payloadClass;
    }

    public String topic() {
        return topic;
    }

    public static Optional<EventType> fromType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }

    public static EventType of(Class<? extends EventPayload> payloadClass) {
        return Arrays.stream(values()).filter(t -> t.payloadClass == payloadClass).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No event type for payload class " + payloadClass.getName()));
    }
}
