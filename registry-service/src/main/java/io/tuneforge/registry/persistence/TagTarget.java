package io.tuneforge.registry.persistence;

import java.util.Locale;

/** What a tag is attached to; stored lower-case in {@code tag.target_type}. */
public enum TagTarget {
    /** A registered model; key = model name. */
    MODEL,
    /** A model version; key = {@code {model}/{version}}. */
    VERSION,
    /** A run; key = run id. */
    RUN;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The target key of a model version. */
    public static String versionKey(String modelName, int version) {
        return modelName + "/" + version;
    }
}
