package io.tuneforge.augment.operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prompts of each operation, per language. Keys are {@code <operation>} or {@code <operation>.<language>}, where
 * the language is the one the answer is written in: the record's for paraphrase and variations, the target of the
 * leg for backTranslate (so {@code backTranslate.zh} is used to translate into Chinese). The first key found wins, in
 * this order: the job's {@code op.lang}, the job's {@code op}, configuration's {@code op.lang}, configuration's
 * {@code op}, the built-in {@code op.lang}, the built-in {@code op}. Built in: English prompts for every language and
 * Chinese prompts for Chinese.
 */
public final class PromptTemplates {

    private static final String REWRITE_SYSTEM = "You rewrite requests for a training dataset. Answer with the"
            + " rewritten request only: no introduction, no quotes, no explanation, and do not answer the request.";
    private static final String REWRITE_SYSTEM_ZH = "你负责为训练数据集改写请求。只输出改写后的请求：不要引言、不要引号、不要解释，也不要回答请求本身。";

    /** The built-in templates. */
    public static final Map<String, PromptTemplate> BUILT_IN = Map.of(
            "paraphrase", new PromptTemplate(REWRITE_SYSTEM,
                    "Paraphrase the following {language} request. Keep its meaning and its language ({language})"
                            + " and keep code, numbers, names and formatting unchanged; change the wording and the"
                            + " sentence structure.\n\nRequest:\n{text}"),
            "paraphrase.zh", new PromptTemplate(REWRITE_SYSTEM_ZH,
                    "请用中文改写下面的请求：保持原意，保留其中的代码、数字、专有名词和格式，但换一种措辞和句式。\n\n请求：\n{text}"),
            "variations", new PromptTemplate(REWRITE_SYSTEM,
                    "Write version {index} of {n} of the following {language} request: the same task in {language},"
                            + " worded differently from the original and from the other versions (vary vocabulary,"
                            + " sentence structure and tone). Keep code, numbers and names unchanged.\n\nRequest:\n"
                            + "{text}"),
            "variations.zh", new PromptTemplate(REWRITE_SYSTEM_ZH,
                    "请写出下面请求的第 {index} 个改写版本（共 {n} 个）：任务相同，用中文表达，措辞和句式要与原文及其他版本都不同。"
                            + "保留代码、数字和专有名词不变。\n\n请求：\n{text}"),
            "backTranslate", new PromptTemplate("You are a translator. Answer with the translation only: no"
                    + " introduction, no notes, no quotes.",
                    "Translate the following {sourceLanguage} text into {targetLanguage}. Keep code, numbers and"
                            + " names unchanged.\n\nText:\n{text}"),
            "backTranslate.zh", new PromptTemplate("你是一名翻译。只输出译文：不要引言、注释或引号。",
                    "请把下面的文本翻译成中文。保留代码、数字和专有名词不变。\n\n文本：\n{text}"));

    private final Map<String, PromptTemplate> job;
    private final Map<String, PromptTemplate> configured;
    private final Map<String, String> used = new ConcurrentHashMap<>();

    public PromptTemplates(Map<String, PromptTemplate> configured, Map<String, PromptTemplate> job) {
        this.configured = Map.copyOf(configured);
        this.job = Map.copyOf(job);
    }

    /** Problems of the keys and templates of a map (job settings or configuration), each naming its key. */
    public static List<String> problems(String where, Map<String, PromptTemplate> templates) {
        List<String> problems = new ArrayList<>();
        templates.forEach((key, t) -> {
            String[] parts = key.split("\\.", -1);
            if (parts.length > 2 || Operation.fromWire(parts[0]) == null
                    || (parts.length == 2 && Language.fromCode(parts[1]) == null)) {
                problems.add(where + "." + key + ": expected a key <operation> or <operation>.<language> with"
                        + " operation one of " + String.join(", ", Operation.wireNames()) + " and language one of "
                        + String.join(", ", Language.codes()) + ", got '" + key + "'");
                return;
            }
            problems.addAll(t.problems(where + "." + key));
        });
        return problems;
    }

    /** The template of {@code op} for answers in {@code language}. */
    public PromptTemplate resolve(Operation op, Language language) {
        String specific = op.wireName() + "." + language.code();
        String generic = op.wireName();
        for (Map<String, PromptTemplate> source : List.of(job, configured, BUILT_IN)) {
            for (String key : List.of(specific, generic)) {
                PromptTemplate t = source.get(key);
                if (t != null) {
                    used.put(specific, origin(source) + ":" + key);
                    return t;
                }
            }
        }
        throw new IllegalStateException("no template for " + generic + ", not even a built-in one");
    }

    private String origin(Map<String, PromptTemplate> source) {
        return source == job ? "job" : source == configured ? "config" : "built-in";
    }

    /**
     * The templates used so far, for the manifest: {@code op.lang} → {origin, key, system, user}, in key order.
     */
    public Map<String, Map<String, String>> describeUsed() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        used.forEach((specific, originKey) -> {
            String origin = originKey.substring(0, originKey.indexOf(':'));
            String key = originKey.substring(originKey.indexOf(':') + 1);
            PromptTemplate t = switch (origin) {
                case "job" -> job.get(key);
                case "config" -> configured.get(key);
                default -> BUILT_IN.get(key);
            };
            Map<String, String> m = new LinkedHashMap<>();
            m.put("origin", origin);
            m.put("key", key);
            if (t.system() != null) {
                m.put("system", t.system());
            }
            m.put("user", t.user());
            out.put(specific, m);
        });
        return out;
    }
}
