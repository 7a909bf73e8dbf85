package io.tuneforge.tuning.metrics;

import java.text.Normalizer;

/**
 * Exact match: the prediction equals the reference after Unicode NFKC normalisation and removal of
 * leading and trailing whitespace (so a trailing newline or a full-width digit does not count as a
 * difference). Case and inner whitespace count. Two empty strings match.
 */
public final class ExactMatch {

    private ExactMatch() {
    }

    public static boolean matches(String prediction, String reference) {
        return normalise(prediction).equals(normalise(reference));
    }

    static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
    }
}
