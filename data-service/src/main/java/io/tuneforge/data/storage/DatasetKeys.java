package io.tuneforge.data.storage;

import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.servicekit.dataset.ObjectStoreDatasetSink;

import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keys of data-service's own objects beside the version files of {@link ObjectKeys}:
 * <pre>
 * datasets/{id}/v{n}/.claim-{token}      who is writing version n (service-kit's VersionAllocator; removed once the
 *                                       manifest is there)
 * datasets/{id}/imports/{event}.json     the DatasetPrepared an import event produced (idempotency across restarts)
 * </pre>
 */
public final class DatasetKeys {

    /** The data files of a version, in the order readers should see them; the manifest is always the last. */
    public static final List<String> FILES = ObjectStoreDatasetSink.FILES;

    private static final Pattern VERSION_KEY = Pattern.compile("v([1-9][0-9]{0,8})/(.+)");

    private DatasetKeys() {
    }

    /** {@code datasets/{id}/imports/{eventKey}.json}; {@code eventKey} must be a valid id. */
    public static String importMarker(String datasetId, String eventKey) {
        return ObjectKeys.datasetPrefix(datasetId) + "imports/" + ObjectKeys.requireId("event key", eventKey)
                + ".json";
    }

    /** The version number of a key under {@code datasets/{id}/}, e.g. 3 for {@code datasets/x/v3/train.jsonl}. */
    static OptionalInt versionOf(String datasetPrefix, String key) {
        if (!key.startsWith(datasetPrefix)) {
            return OptionalInt.empty();
        }
        Matcher m = VERSION_KEY.matcher(key.substring(datasetPrefix.length()));
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** The file name of a key under a version prefix, e.g. {@code train.jsonl}; null for other keys. */
    static String fileOf(String datasetPrefix, String key) {
        if (!key.startsWith(datasetPrefix)) {
            return null;
        }
        Matcher m = VERSION_KEY.matcher(key.substring(datasetPrefix.length()));
        return m.matches() ? m.group(2) : null;
    }
}
