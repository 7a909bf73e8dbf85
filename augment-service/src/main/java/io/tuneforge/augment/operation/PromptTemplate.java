package io.tuneforge.augment.operation;

import io.tuneforge.augment.llm.ChatPrompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt with placeholders, filled in one pass (a placeholder spelled inside the inserted text stays as it is):
 * <ul>
 *   <li>{@code {text}} — the text to rewrite or translate (required in the user turn);</li>
 *   <li>{@code {language}} — the language of the text and of the answer (paraphrase, variations), e.g. English;</li>
 *   <li>{@code {sourceLanguage}}, {@code {targetLanguage}} — translation from and into (backTranslate);</li>
 *   <li>{@code {n}}, {@code {index}} — how many variations, and which one this is (1-based).</li>
 * </ul>
 *
 * @param system the system turn, or null for none
 * @param user   the user turn
 */
public record PromptTemplate(String system, String user) {

    public static final Set<String> PLACEHOLDERS = Set.of("text", "language", "sourceLanguage", "targetLanguage", "n",
            "index");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    /** Problems with this template, each naming {@code where} (e.g. {@code settings.templates.paraphrase}); empty when fine. */
    public List<String> problems(String where) {
        List<String> problems = new ArrayList<>();
        if (user == null || user.isBlank()) {
            problems.add(where + ".user: expected a prompt containing {text}, got nothing");
            return problems;
        }
        if (!user.contains("{text}")) {
            problems.add(where + ".user: expected the placeholder {text} where the record's text goes, got \""
                    + abbreviate(user) + "\"");
        }
        unknown(where + ".user", user, problems);
        if (system != null) {
            unknown(where + ".system", system, problems);
        }
        return problems;
    }

    private static void unknown(String where, String template, List<String> problems) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                problems.add(where + ": unknown placeholder {" + m.group(1) + "}; expected one of {text}, {language},"
                        + " {sourceLanguage}, {targetLanguage}, {n}, {index}");
            }
        }
    }

    /** The prompt with every placeholder replaced by its value in {@code values} (missing ones by ""). */
    public ChatPrompt render(Map<String, String> values) {
        return new ChatPrompt(system == null || system.isBlank() ? null : fill(system, values), fill(user, values));
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 256);
        while (m.find()) {
            String name = m.group(1);
            String value = PLACEHOLDERS.contains(name) ? values.getOrDefault(name, "") : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
