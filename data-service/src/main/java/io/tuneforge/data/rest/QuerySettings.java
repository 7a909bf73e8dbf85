package io.tuneforge.data.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.data.service.PipelineSettingsResolver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Pipeline settings from the query string of an upload ({@code ?evalRatio=0.05&seed=7&redactPii=true&to=conversation}),
 * typed as {@code DatasetImportRequested.settings} types them, so that both paths share one check. Every unknown
 * parameter and every value of the wrong type is collected, to be reported together with the values that are out of
 * range ({@link PipelineSettingsResolver#resolve(String, Map, List)}).
 */
final class QuerySettings {

    private static final Set<String> BOOLEANS = Set.of("stripHtml", "redactPii", "exactDedup", "nearDedup",
            "stratifyBySource");
    private static final Set<String> DECIMALS = Set.of("evalRatio", "nearDupThreshold");
    private static final Set<String> WHOLE = Set.of("evalCount", "seed", "maxTokens", "detectionSample",
            "maxRecordBytes", "shingleSize", "numPermutations", PipelineSettingsResolver.PARENT_VERSION);

    private QuerySettings() {
    }

    /**
     * @param settings the parameters that could be typed
     * @param errors   the unknown ones and those of the wrong type
     */
    record Parsed(Map<String, Object> settings, List<FieldError> errors) {
    }

    /**
     * @param query      the request's query parameters
     * @param otherNames parameters of the endpoint that are not settings (e.g. {@code jobId})
     */
    static Parsed parse(Map<String, List<String>> query, Set<String> otherNames) {
        Set<String> known = PipelineSettingsResolver.keys();
        Map<String, Object> settings = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String name = e.getKey();
            if (otherNames.contains(name)) {
                continue;
            }
            if (!known.contains(name)) {
                errors.add(new FieldError(name, "is not a setting" + suggestion(name, known) + "; the settings are "
                        + known));
                continue;
            }
            if (e.getValue().size() != 1) {
                errors.add(new FieldError(name, "given " + e.getValue().size() + " times; give it once"));
                continue;
            }
            String text = e.getValue().get(0).trim();
            try {
                settings.put(name, typed(name, text));
            } catch (IllegalArgumentException ex) {
                errors.add(new FieldError(name, ex.getMessage()));
            }
        }
        return new Parsed(settings, errors);
    }

    private static Object typed(String name, String text) {
        if (BOOLEANS.contains(name)) {
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text);
            }
            throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        }
        if (DECIMALS.contains(name)) {
            try {
                double d = Double.parseDouble(text);
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("expected a number such as 0.1, got '" + text + "'");
        }
        if (WHOLE.contains(name)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("expected a whole number, got '" + text + "'");
            }
        }
        if (name.equals("columnMapping")) {
            try {
                return Json.mapper().readValue(text, new TypeReference<Map<String, Object>>() { });
            } catch (Exception ex) {
                throw new IllegalArgumentException("expected a JSON object of CSV header → field, e.g."
                        + " {\"question\":\"instruction\"}, got '" + text + "'");
            }
        }
        return text;
    }

    /** The closest known name: same letters ignoring case, a prefix, or at most two edits away. */
    private static String suggestion(String name, Set<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            String kl = k.toLowerCase(Locale.ROOT);
            if (kl.equals(lower) || kl.startsWith(lower) || lower.startsWith(kl)) {
                return "; did you mean '" + k + "'?";
            }
            int d = distance(lower, kl);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** Levenshtein distance (a transposition counts as two edits). */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
