package io.tuneforge.contracts.training;

import java.util.Locale;

/** Derives a registered-model name from a base-model location when the request names none. */
public final class ModelNames {

    public static final String SUFFIX = "-tuned";

    /** Longest name {@link io.tuneforge.contracts.storage.ObjectKeys} accepts as an id. */
    private static final int MAX_LENGTH = 128;

    private ModelNames() {
    }

    /**
     * {@code s3://tuneforge/models/qwen2.5-0.5b-instruct/} → {@code qwen2.5-0.5b-instruct-tuned}: the last path
     * segment (either separator), lower-cased, runs of other characters turned into {@code -}, leading dots dropped,
     * shortened so that the result is a valid id. Null when nothing usable is left.
     */
    public static String fromBaseModel(String baseModel) {
        if (baseModel == null || baseModel.isBlank()) {
            return null;
        }
        String trimmed = baseModel.strip().replaceAll("[/\\\\]+$", "");
        String last = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
        String slug = last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^\\.+", "");
        if (slug.isEmpty()) {
            return null;
        }
        int room = MAX_LENGTH - SUFFIX.length();
        return (slug.length() > room ? slug.substring(0, room) : slug) + SUFFIX;
    }
}
