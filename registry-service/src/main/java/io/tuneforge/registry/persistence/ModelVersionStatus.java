package io.tuneforge.registry.persistence;

/**
 * Where a model version stands (MLflow's {@code ModelVersionStatus}): registered from a TrainingCompleted as
 * {@link #PENDING_REGISTRATION}, then {@link #READY} once its artifact is found in the store, or
 * {@link #FAILED_REGISTRATION} with a message saying what is missing.
 */
public enum ModelVersionStatus {
    PENDING_REGISTRATION,
    FAILED_REGISTRATION,
    READY;

    /** Parses a status name in any case; throws naming the bad value and the allowed ones. */
    public static ModelVersionStatus parse(String value) {
        for (ModelVersionStatus s : values()) {
            if (s.name().equalsIgnoreCase(value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a model version status; expected one of"
                + " PENDING_REGISTRATION, FAILED_REGISTRATION, READY");
    }
}
