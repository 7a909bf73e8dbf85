package io.tuneforge.contracts.training;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The training data of a run: a registered dataset version ({@code id} + {@code version}), or for local runs
 * JSONL files on disk ({@code path}, optional {@code evalPath}).
 */
public record DatasetSpec(String id, Integer version, String path, String evalPath) {

    public static DatasetSpec registered(String id, int version) {
        return new DatasetSpec(id, version, null, null);
    }

    public static DatasetSpec local(String path, String evalPath) {
        return new DatasetSpec(null, null, path, evalPath);
    }

    /** Derived, not data: kept out of the JSON. */
    @JsonIgnore
    public boolean isRegistered() {
        return id != null;
    }
}
