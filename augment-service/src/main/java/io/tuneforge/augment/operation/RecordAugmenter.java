package io.tuneforge.augment.operation;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.augment.llm.CallStats;
import io.tuneforge.augment.llm.ChatPrompt;
import io.tuneforge.augment.llm.Completions;
import io.tuneforge.augment.llm.LlmCallException;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.dataset.record.ChatMessage;
import io.tuneforge.contracts.dataset.record.ConversationRecord;
import io.tuneforge.contracts.dataset.record.InstructionRecord;
import io.tuneforge.contracts.dataset.record.PreferenceRecord;
import io.tuneforge.dataprep.record.CanonicalJson;
import io.tuneforge.dataprep.record.Example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a job's operations on one source record. What is rewritten is the prompt side, never the answer: an
 * instruction record's {@code instruction} (and {@code input} with {@code includeInput}), a conversation's user
 * turns, a preference record's prompt (its text, or its user turns); outputs, assistant turns, chosen/rejected and
 * system prompts stay as they are, so every generated record is still answered correctly by its original answer.
 * Each rewritten field is one completion (a back-translation two: into the pivot and back). The calls of one record
 * run one after another on the calling thread; records run in parallel.
 */
public final class RecordAugmenter {

    private static final List<String> ECHOED_LABELS = List.of("Request:", "Text:", "Rewritten request:",
            "Paraphrase:", "Translation:", "请求：", "文本：", "译文：");

    private final Completions llm;
    private final PromptTemplates templates;
    private final QualityGate gate;
    private final JobSettings settings;
    private final List<Operation> operations;

    public RecordAugmenter(Completions llm, PromptTemplates templates, QualityGate gate, JobSettings settings,
            List<Operation> operations) {
        this.llm = llm;
        this.templates = templates;
        this.gate = gate;
        this.settings = settings;
        this.operations = List.copyOf(operations);
    }

    /** Generation slots per source record: 1 per paraphrase and back-translation, n per variations. */
    public int slotsPerRecord() {
        return operations.stream().mapToInt(op -> op == Operation.VARIATIONS ? settings.n() : 1).sum();
    }

    /**
     * Every slot's outcome for one record, in operation order (variations by number).
     *
     * @throws LlmCallException when a completion failed in a way that stops the job ({@link
     *                          io.tuneforge.augment.llm.FailureKind#stopsJob()})
     */
    public List<Generation> augment(int index, Example source, CallStats stats) {
        Map<String, String> targets = targets(source);
        Language language = settings.sourceLanguage() != null ? settings.sourceLanguage()
                : Language.detect(String.join("\n", targets.values()));
        List<Map<String, String>> accepted = new ArrayList<>();
        List<Generation> out = new ArrayList<>(slotsPerRecord());
        for (Operation op : operations) {
            int count = op == Operation.VARIATIONS ? settings.n() : 1;
            for (int variant = 1; variant <= count; variant++) {
                out.add(slot(index, source, targets, op, variant, language, accepted, stats));
            }
        }
        return out;
    }

    private Generation slot(int index, Example source, Map<String, String> targets, Operation op, int variant,
            Language language, List<Map<String, String>> accepted, CallStats stats) {
        Map<String, String> after = new LinkedHashMap<>();
        Language pivot = op == Operation.BACK_TRANSLATE ? settings.pivotFor(language) : null;
        try {
            for (Map.Entry<String, String> target : targets.entrySet()) {
                String text = target.getValue();
                if (op != Operation.BACK_TRANSLATE) {
                    Map<String, String> values = Map.of("text", text, "language", language.displayName(),
                            "n", String.valueOf(settings.n()), "index", String.valueOf(variant));
                    after.put(target.getKey(), complete(templates.resolve(op, language).render(values), stats));
                    continue;
                }
                String there = complete(templates.resolve(op, pivot).render(Map.of("text", text,
                        "language", pivot.displayName(), "sourceLanguage", language.displayName(),
                        "targetLanguage", pivot.displayName())), stats);
                String what = "the " + pivot.displayName() + " translation of '" + target.getKey() + "'";
                if (there.isBlank()) {
                    return rejected(index, op, variant, language, pivot,
                            new QualityGate.Rejection(QualityGate.Reason.EMPTY, what + " is empty"), null);
                }
                Optional<QualityGate.Rejection> wrong = gate.checkLanguage(text, language, there, pivot, what);
                if (wrong.isPresent()) {
                    return rejected(index, op, variant, language, pivot, wrong.get(), null);
                }
                after.put(target.getKey(), complete(templates.resolve(op, language).render(Map.of("text", there,
                        "language", language.displayName(), "sourceLanguage", pivot.displayName(),
                        "targetLanguage", language.displayName())), stats));
            }
        } catch (LlmCallException e) {
            if (e.kind().stopsJob()) {
                throw e;
            }
            return new Generation(index, op.wireName(), variant, Generation.FAILED, e.kind().wireName(),
                    e.getMessage(), language.code(), pivot == null ? null : pivot.code(), null);
        }
        Example generated = source.mapTexts((path, text) -> after.getOrDefault(path, text))
                .withSource(op.sourceLabel());
        Optional<QualityGate.Rejection> rejection = gate.check(targets, after, language);
        if (rejection.isEmpty()) {
            rejection = gate.duplicateOfSibling(after, accepted);
        }
        if (rejection.isPresent()) {
            return rejected(index, op, variant, language, pivot, rejection.get(), generated);
        }
        accepted.add(after);
        return new Generation(index, op.wireName(), variant, Generation.ACCEPTED, null, null, language.code(),
                pivot == null ? null : pivot.code(), json(generated));
    }

    private String complete(ChatPrompt prompt, CallStats stats) {
        return clean(llm.complete(prompt, settings.llm(), stats).text());
    }

    private static Generation rejected(int index, Operation op, int variant, Language language, Language pivot,
            QualityGate.Rejection rejection, Example generated) {
        return new Generation(index, op.wireName(), variant, Generation.REJECTED, rejection.reason().wireName(),
                rejection.message(), language.code(), pivot == null ? null : pivot.code(),
                generated == null ? null : json(generated));
    }

    /** The fields a job rewrites, by canonical path, in record order. */
    Map<String, String> targets(Example example) {
        Map<String, String> t = new LinkedHashMap<>();
        if (example.record() instanceof InstructionRecord r) {
            t.put("instruction", r.instruction());
            if (settings.includeInput() && r.input() != null && !r.input().isBlank()) {
                t.put("input", r.input());
            }
        } else if (example.record() instanceof ConversationRecord r) {
            userTurns("messages", r.messages(), t);
        } else {
            PreferenceRecord r = (PreferenceRecord) example.record();
            if (r.prompt() != null && r.prompt().isTextual()) {
                t.put("prompt", r.prompt().asText());
            } else if (r.prompt() != null && r.prompt().isArray()) {
                userTurns("prompt", Example.messagesOf(r.prompt()), t);
            }
        }
        return t;
    }

    private static void userTurns(String field, List<ChatMessage> messages, Map<String, String> t) {
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (ChatMessage.USER.equals(m.role()) && m.content() != null) {
                t.put(field + "[" + i + "].content", m.content());
            }
        }
    }

    /**
     * The answer without what models add around it: surrounding whitespace, one pair of wrapping quotes, and a label
     * the prompt used ("Request:") echoed at the start.
     */
    static String clean(String text) {
        String s = text == null ? "" : text.strip();
        for (String label : ECHOED_LABELS) {
            if (s.regionMatches(true, 0, label, 0, label.length())) {
                s = s.substring(label.length()).strip();
                break;
            }
        }
        String[][] quotes = {{"\"", "\""}, {"'", "'"}, {"“", "”"}, {"「", "」"}, {"『", "』"}, {"«", "»"}};
        for (String[] q : quotes) {
            if (s.length() >= 2 && s.startsWith(q[0]) && s.endsWith(q[1])
                    && s.indexOf(q[1], q[0].length()) == s.length() - q[1].length()) {
                s = s.substring(q[0].length(), s.length() - q[1].length()).strip();
                break;
            }
        }
        return s;
    }

    private static JsonNode json(Example example) {
        try {
            return Json.mapper().readTree(CanonicalJson.write(example));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back a canonical record: " + e.getMessage(), e);
        }
    }
}
