package io.tuneforge.contracts.training;

import java.util.Locale;

/** Derives a registered-model name from a base-model location when the request names none. */
public final class ModelNames {

    private ModelNames() {
    }

    /** {@code s3://tuneforge/models/qwen2.5-0.5b-instruct/} → {@code qwen2.5-0.5b-instruct-tuned}. */
    public static String fromBaseModel(String baseModel) {
        if (baseModel == null || baseModel.isBlank()) {
            return null;
        }
        String trimmed = baseModel.replaceAll("/+$", "");
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        String slug = last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        return slug.isEmpty() ? null : slug + "-tuned";
    }
}
