package io.tuneforge.data.service;

import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.data.config.DataServiceConfig;
import io.tuneforge.data.storage.DatasetCatalog;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.PipelineSettingsMap;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pipeline settings of one run from what a client sent: the keys of {@link PipelineSettingsMap} (typed JSON values,
 * as {@code DatasetImportRequested.settings} carries them), plus {@code to} (= {@code convertTo}) and
 * {@code parentVersion} (a published version of the same dataset this one derives from). Every bad setting is
 * reported at once, each on its own; a combination that does not work together is reported as {@code settings}.
 * Threads and the temporary directory come from {@code tuneforge.data.*}, never from the client.
 */
@ApplicationScoped
public class PipelineSettingsResolver {

    public static final String PARENT_VERSION = "parentVersion";
    public static final String TO = "to";

    private static final String PREFIX = "invalid pipeline settings: ";

    private final DataServiceConfig config;
    private final DatasetCatalog catalog;

    public PipelineSettingsResolver(DataServiceConfig config, DatasetCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    /** Every key a client may send. */
    public static Set<String> keys() {
        Set<String> keys = new TreeSet<>(PipelineSettingsMap.KEYS);
        keys.add(TO);
        keys.add(PARENT_VERSION);
        return keys;
    }

    /** Where spool and spill files go: {@code tuneforge.data.temp-dir}, else {@code java.io.tmpdir/tuneforge-data}. */
    public Path tempDir() {
        return config.tempDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "tuneforge-data"));
    }

    /**
     * @param settings null or empty for the defaults
     * @throws InvalidSettingsException naming every bad setting
     */
    public PipelineSettings resolve(String datasetId, Map<String, ?> settings) throws InvalidSettingsException {
        return resolve(datasetId, settings, List.of());
    }

    /**
     * @param settings null or empty for the defaults
     * @param known    errors found before (e.g. query parameters of the wrong type), reported with the others
     * @throws InvalidSettingsException naming every bad setting
     */
    public PipelineSettings resolve(String datasetId, Map<String, ?> settings, List<FieldError> known)
            throws InvalidSettingsException {
        PipelineSettings.Builder base = PipelineSettings.builder().tempDir(tempDir().resolve("pipeline"));
        config.threads().ifPresent(base::threads);
        PipelineSettings defaults = base.build();
        Map<String, Object> pipeline = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>(known);
        Object parent = null;
        if (settings != null) {
            for (Map.Entry<String, ?> e : settings.entrySet()) {
                String key = TO.equals(e.getKey()) ? "convertTo" : e.getKey();
                if (PARENT_VERSION.equals(key)) {
                    parent = e.getValue();
                    continue;
                }
                if (pipeline.containsKey(key)) {
                    errors.add(new FieldError(e.getKey(), "given twice (as 'to' and 'convertTo'); give one"));
                    continue;
                }
                try {
                    PipelineSettingsMap.fromMap(Map.of(key, e.getValue()), defaults);
                } catch (IllegalArgumentException ex) {
                    errors.add(new FieldError(e.getKey(), reason(key, ex.getMessage())));
                } catch (NullPointerException ex) {
                    errors.add(new FieldError(e.getKey(), "has no value"));
                }
                pipeline.put(key, e.getValue());
            }
        }
        DatasetVersionRef parentRef = parent == null ? null : parent(datasetId, parent, errors);
        if (!errors.isEmpty()) {
            throw new InvalidSettingsException(errors);
        }
        try {
            PipelineSettings resolved = PipelineSettingsMap.fromMap(pipeline, defaults);
            return parentRef == null ? resolved : resolved.toBuilder().parent(parentRef).build();
        } catch (IllegalArgumentException ex) {
            throw new InvalidSettingsException(List.of(new FieldError("settings", strip(ex.getMessage()))));
        }
    }

    private DatasetVersionRef parent(String datasetId, Object value, List<FieldError> errors) {
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
                || n.doubleValue() > Integer.MAX_VALUE) {
            errors.add(new FieldError(PARENT_VERSION, "expected a version number of dataset '" + datasetId
                    + "' (1 or more), got " + value));
            return null;
        }
        int version = n.intValue();
        if (!catalog.isPublished(datasetId, version)) {
            errors.add(new FieldError(PARENT_VERSION, "dataset '" + datasetId + "' has no published version "
                    + version + "; its versions are " + catalog.publishedVersions(datasetId)));
            return null;
        }
        return new DatasetVersionRef(datasetId, version);
    }

    /** "invalid pipeline settings: evalRatio: expected ..." → "expected ..."; keeps the value and the advice. */
    private static String reason(String key, String message) {
        String m = strip(message);
        if (m.startsWith(key + ": ")) {
            return m.substring(key.length() + 2);
        }
        return m.startsWith(key + " ") ? m.substring(key.length() + 1) : m;
    }

    private static String strip(String message) {
        return message != null && message.startsWith(PREFIX) ? message.substring(PREFIX.length()) : message;
    }
}
