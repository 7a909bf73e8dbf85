package io.tuneforge.contracts.dataset;

import io.tuneforge.contracts.event.Required;

/** One immutable version of a dataset: {@code datasets/{datasetId}/v{version}/}. */
public record DatasetVersionRef(@Required String datasetId, @Required int version) {

    @Override
    public String toString() {
        return datasetId + "/v" + version;
    }
}
