package io.tuneforge.augment.operation;

import io.tuneforge.augment.config.AugmentConfig;
import io.tuneforge.augment.llm.LlmSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of one job: {@code AugmentationRequested.settings} over the configured defaults. Every bad key and
 * value is reported at once ({@link InvalidJobException}), each as {@code settings.<key>: expected ..., got ...}.
 *
 * <table>
 *   <tr><th>key</th><th>default</th><th>allowed</th></tr>
 *   <tr><td>model</td><td>{@code tuneforge.augment.llm.model}</td><td>non-blank</td></tr>
 *   <tr><td>temperature</td><td>{@code ...llm.temperature}</td><td>0 to 2</td></tr>
 *   <tr><td>maxTokens</td><td>{@code ...llm.max-tokens}</td><td>1 to 32768</td></tr>
 *   <tr><td>n</td><td>3</td><td>variations per record, 1 to 20</td></tr>
 *   <tr><td>pivotLanguage</td><td>en</td><td>a language code; a record already in it goes through de (en) or en</td></tr>
 *   <tr><td>sourceLanguage</td><td>auto (by script, per record)</td><td>a language code or auto</td></tr>
 *   <tr><td>includeInput</td><td>false</td><td>also rewrite an instruction record's {@code input}</td></tr>
 *   <tr><td>maxRecords</td><td>all (up to {@code ...jobs.max-records})</td><td>augment the first N train records</td></tr>
 *   <tr><td>concurrency</td><td>{@code ...jobs.max-workers}</td><td>1 to that</td></tr>
 *   <tr><td>templates</td><td>none</td><td>{"paraphrase": "…{text}…"} or {"paraphrase.zh": {"system": …, "user": …}}</td></tr>
 *   <tr><td>nearDupThreshold, minLengthRatio, maxLengthRatio, minScriptShare</td><td>parent's / configured</td><td>gate bounds</td></tr>
 * </table>
 *
 * @param nearDupThreshold null: the parent version's pipeline threshold (or the configured one)
 */
public record JobSettings(LlmSettings llm, int n, Language pivotLanguage, Language sourceLanguage,
                          boolean includeInput, Integer maxRecords, int concurrency,
                          Map<String, PromptTemplate> templates, Double nearDupThreshold, double minLengthRatio,
                          double maxLengthRatio, double minScriptShare) {

    public static final Set<String> KEYS = Set.of("model", "temperature", "maxTokens", "n", "pivotLanguage",
            "sourceLanguage", "includeInput", "maxRecords", "concurrency", "templates", "nearDupThreshold",
            "minLengthRatio", "maxLengthRatio", "minScriptShare");

    /**
     * @throws InvalidJobException naming every bad key and value
     */
    public static JobSettings parse(Map<String, Object> settings, AugmentConfig config) {
        Map<String, Object> s = settings == null ? Map.of() : settings;
        List<String> errors = new ArrayList<>();
        for (String key : new TreeMap<>(s).keySet()) {
            if (!KEYS.contains(key)) {
                errors.add("settings." + key + ": unknown setting" + suggestion(key) + "; known: "
                        + String.join(", ", new TreeSet<>(KEYS)));
            }
        }
        Reader r = new Reader(s, errors);
        AugmentConfig.Llm llm = config.llm();
        String model = r.text("model", llm.model());
        double temperature = r.number("temperature", llm.temperature(), 0, 2);
        int maxTokens = r.integer("maxTokens", llm.maxTokens(), 1, 32768);
        int n = r.integer("n", 3, 1, 20);
        Language pivot = r.language("pivotLanguage", Language.EN, false);
        Language sourceLanguage = r.language("sourceLanguage", null, true);
        boolean includeInput = r.bool("includeInput", false);
        Integer maxRecords = s.containsKey("maxRecords")
                ? r.integer("maxRecords", config.jobs().maxRecords(), 1, config.jobs().maxRecords()) : null;
        int concurrency = r.integer("concurrency", config.jobs().maxWorkers(), 1, config.jobs().maxWorkers());
        Map<String, PromptTemplate> templates = r.templates("templates");
        Double nearDup = s.containsKey("nearDupThreshold") ? r.number("nearDupThreshold", 0.85, 0.01, 0.999) : null;
        AugmentConfig.Gate gate = config.gate();
        double minRatio = r.number("minLengthRatio", gate.minLengthRatio(), 0, 1);
        double maxRatio = r.number("maxLengthRatio", gate.maxLengthRatio(), 1, 100);
        double minShare = r.number("minScriptShare", gate.minScriptShare(), 0, 1);
        if (sourceLanguage != null && sourceLanguage == pivot) {
            errors.add("settings.pivotLanguage: expected a language other than the sourceLanguage '"
                    + sourceLanguage.code() + "', got '" + pivot.code() + "'");
        }
        errors.addAll(PromptTemplates.problems("settings.templates", templates));
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
        return new JobSettings(new LlmSettings(model, temperature, maxTokens), n, pivot, sourceLanguage, includeInput,
                maxRecords, concurrency, templates, nearDup, minRatio, maxRatio, minShare);
    }

    /** The pivot for a record in {@code language}: the configured one, or another when they are the same. */
    public Language pivotFor(Language language) {
        if (language != pivotLanguage) {
            return pivotLanguage;
        }
        return pivotLanguage == Language.EN ? Language.DE : Language.EN;
    }

    /** What the manifest records (no secrets: the key is never part of a job). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", llm.model());
        m.put("temperature", llm.temperature());
        m.put("maxTokens", llm.maxTokens());
        m.put("n", n);
        m.put("pivotLanguage", pivotLanguage.code());
        m.put("sourceLanguage", sourceLanguage == null ? "auto" : sourceLanguage.code());
        m.put("includeInput", includeInput);
        if (maxRecords != null) {
            m.put("maxRecords", maxRecords);
        }
        m.put("concurrency", concurrency);
        return m;
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KEYS) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= 2 ? "; did you mean \"" + best + "\"?" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Reads typed values, adding an error for each bad one and returning the default instead. */
    private record Reader(Map<String, Object> s, List<String> errors) {

        String text(String key, String dflt) {
            Object v = s.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof String t && !t.isBlank()) {
                return t.trim();
            }
            errors.add("settings." + key + ": expected a non-blank string, got " + show(v));
            return dflt;
        }

        double number(String key, double dflt, double min, double max) {
            Object v = s.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Number num && Double.isFinite(num.doubleValue()) && num.doubleValue() >= min
                    && num.doubleValue() <= max) {
                return num.doubleValue();
            }
            errors.add("settings." + key + ": expected a number from " + plain(min) + " to " + plain(max) + ", got "
                    + show(v));
            return dflt;
        }

        int integer(String key, int dflt, int min, int max) {
            Object v = s.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())
                    && num.doubleValue() >= min && num.doubleValue() <= max) {
                return num.intValue();
            }
            errors.add("settings." + key + ": expected an integer from " + min + " to " + max + ", got " + show(v));
            return dflt;
        }

        boolean bool(String key, boolean dflt) {
            Object v = s.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            errors.add("settings." + key + ": expected true or false, got " + show(v));
            return dflt;
        }

        Language language(String key, Language dflt, boolean autoAllowed) {
            Object v = s.get(key);
            if (v == null || (autoAllowed && "auto".equals(v))) {
                return dflt;
            }
            Language l = v instanceof String code ? Language.fromCode(code) : null;
            if (l == null) {
                errors.add("settings." + key + ": expected " + (autoAllowed ? "auto or " : "") + "one of "
                        + String.join(", ", Language.codes()) + ", got " + show(v));
                return dflt;
            }
            return l;
        }

        Map<String, PromptTemplate> templates(String key) {
            Object v = s.get(key);
            Map<String, PromptTemplate> out = new LinkedHashMap<>();
            if (v == null) {
                return out;
            }
            if (!(v instanceof Map<?, ?> map)) {
                errors.add("settings." + key + ": expected an object of templates by operation, got " + show(v));
                return out;
            }
            map.forEach((k, t) -> {
                if (t instanceof String user) {
                    out.put(String.valueOf(k), new PromptTemplate(null, user));
                } else if (t instanceof Map<?, ?> m && m.get("user") instanceof String user
                        && (m.get("system") == null || m.get("system") instanceof String)) {
                    out.put(String.valueOf(k), new PromptTemplate((String) m.get("system"), user));
                } else {
                    errors.add("settings." + key + "." + k + ": expected a prompt string or {\"system\": ...,"
                            + " \"user\": ...} with strings, got " + show(t));
                }
            });
            return out;
        }

        private static String show(Object v) {
            return v instanceof String t ? "\"" + t + "\"" : String.valueOf(v);
        }

        private static String plain(double d) {
            return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
        }
    }
}
