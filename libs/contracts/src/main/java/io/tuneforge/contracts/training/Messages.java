package io.tuneforge.contracts.training;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.util.List;
import java.util.Locale;

/** Wording shared by the parser and the validator: values shown as JSON, option lists, "did you mean". */
final class Messages {

    private static final int MAX_SHOWN = 80;

    private Messages() {
    }

    /** A value as JSON text ({@code "three"}, {@code 2.0E-4}, {@code nothing} for null), shortened when long. */
    static String show(Object value) {
        if (value == null) {
            return "nothing";
        }
        String s = value instanceof JsonNode n ? n.toString() : Json.write(value);
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN - 3) + "...";
    }

    /** {@code one of cosine, linear, constant}. */
    static String oneOf(List<String> options) {
        return "one of " + String.join(", ", options);
    }

    /** {@code expected one of sft, dpo, orpo, got "sfy"; did you mean "sft"?} */
    static String unknownValue(Object got, List<String> options) {
        String reason = "expected " + oneOf(options) + ", got " + show(got);
        return got instanceof String s ? reason + didYouMean(s, options) : reason;
    }

    /** {@code ; did you mean "epochs"?} when an option is a small edit away from {@code value}, else empty. */
    static String didYouMean(String value, List<String> options) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String v = value.toLowerCase(Locale.ROOT);
        for (String option : options) {
            int d = distance(v, option.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = option;
            }
        }
        int allowed = Math.max(1, Math.min(3, value.length() / 3));
        return best != null && bestDistance <= allowed ? "; did you mean \"" + best + "\"?" : "";
    }

    /**
     * Edit distance with transpositions (optimal string alignment): insert, delete, substitute and swapping two
     * neighbours each cost 1, so {@code blue → bleu} and {@code dop → dpo} are one edit.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
