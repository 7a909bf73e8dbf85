package io.tuneforge.data.rest;

import io.tuneforge.contracts.storage.ObjectKeys;

/** Checks a dataset name from a URL: it becomes a key segment, {@code datasets/{name}/}. */
final class DatasetNames {

    /** {@code /api/datasets/jobs} lists jobs, so no dataset may be called that. */
    static final String RESERVED = "jobs";

    private DatasetNames() {
    }

    static String require(String name) {
        if (!ObjectKeys.isValidId(name)) {
            throw ProblemException.badRequest("dataset name '" + name + "' is not valid: use " + ObjectKeys.ID_RULE);
        }
        if (RESERVED.equals(name)) {
            throw ProblemException.badRequest("dataset name 'jobs' is reserved (GET /api/datasets/jobs lists the"
                    + " preparation jobs); choose another name");
        }
        return name;
    }
}
