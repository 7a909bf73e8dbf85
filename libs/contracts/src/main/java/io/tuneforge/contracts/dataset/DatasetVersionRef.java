package io.tuneforge.contracts.dataset;

/** One immutable version of a dataset: {@code datasets/{datasetId}/v{version}/}. */
public record DatasetVersionRef(String datasetId, int version) {

    @Override
    public String toString() {
        return datasetId + "/v" + version;
    }
}
