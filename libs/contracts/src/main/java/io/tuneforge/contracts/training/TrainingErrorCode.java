package io.tuneforge.contracts.training;

/** Machine-readable reasons of a failed run; the event's message says what a person should do. */
public enum TrainingErrorCode {
    /** The request has bad fields; {@code fieldErrors} lists each. */
    INVALID_REQUEST,
    /** The dataset version does not exist in the object store. */
    DATASET_NOT_FOUND,
    /** The dataset's format does not fit the method (e.g. instruction data for DPO). */
    DATASET_FORMAT_MISMATCH,
    /** The base model does not exist or cannot be read. */
    BASE_MODEL_NOT_FOUND,
    /** The estimated memory of the run exceeds what the device has. */
    INSUFFICIENT_MEMORY,
    /** Training diverged (NaN/Inf loss). */
    TRAINING_DIVERGED,
    /** The object store or broker failed. */
    INFRASTRUCTURE_ERROR,
    /** Anything else; the message carries the cause. */
    INTERNAL_ERROR
}
