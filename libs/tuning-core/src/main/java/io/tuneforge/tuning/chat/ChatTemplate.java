package io.tuneforge.tuning.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import io.tuneforge.tuning.tokenizer.TokenizerConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face chat template ({@code tokenizer_config.json}'s {@code chat_template}) rendered
 * with Jinjava the way transformers' {@code apply_chat_template} renders it with jinja2.
 *
 * <p>Environment, as in transformers: {@code trim_blocks} and {@code lstrip_blocks} on, a single
 * trailing newline of the template dropped ({@code keep_trailing_newline=False}), variables
 * {@code messages} (list of {@code {role, content}} maps), {@code add_generation_prompt},
 * {@code bos_token}, {@code eos_token}, {@code tools} (null) and the function
 * {@code raise_exception}. Jinjava needs three of its legacy overrides to follow jinja2: trimming
 * for notes and expressions, natural operator precedence (so {@code 'a' + x | trim + 'b'} trims
 * only {@code x}) and strict whitespace control. Nested interpretation is off, so a message
 * containing {@code {{ }}} stays text.
 *
 * <p>A filter Jinjava lacks is refused when the template is created (jinja2 refuses it when compiling). Any
 * error Jinjava reports while rendering becomes a {@link ChatTemplateException}.
 *
 * <p>Not supported (Jinjava lacks them): {@code strftime_now}, {@code loop.previtem/nextitem},
 * {@code [::step]} slices, {@code {% generation %}} and Python string methods on content
 * (Qwen3's template needs those).
 */
public final class ChatTemplate {

    private static final JinjavaConfig CONFIG = JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withNestedInterpretationEnabled(false)
            .withFailOnUnknownTokens(false)
            .withLegacyOverrides(LegacyOverrides.newBuilder()
                    .withUseTrimmingForNotesAndExpressions(true)
                    .withUseNaturalOperatorPrecedence(true)
                    .withParseWhitespaceControlStrictly(true)
                    .build())
            .build();

    private final String source;
    private final String sourceName;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    private ChatTemplate(String source, String sourceName, String bosToken, String eosToken) {
        this.source = Objects.requireNonNull(source, "source");
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.jinjava = new Jinjava(CONFIG);
        jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception", TemplateFunctions.class,
                "raiseException", String.class));
        for (String filter : TemplateFilters.used(source)) {
            if (jinjava.getGlobalContext().getFilter(filter) == null) {
                throw new ChatTemplateException("Chat template from " + sourceName + " uses the filter '" + filter
                        + "', which Jinjava does not provide; rewrite that part of the template");
            }
        }
    }

    /**
     * A template from its Jinja source.
     *
     * @param sourceName where the template came from (a file name), repeated in errors
     * @param bosToken value of {@code bos_token}, or null
     * @param eosToken value of {@code eos_token}, or null
     * @throws ChatTemplateException when the template uses a filter Jinjava lacks
     */
    public static ChatTemplate of(String source, String sourceName, String bosToken, String eosToken) {
        return new ChatTemplate(source, sourceName, bosToken, eosToken);
    }

    /** The default chat template of a tokenizer's {@code tokenizer_config.json}, with its BOS and EOS strings. */
    public static ChatTemplate of(TokenizerConfig config) {
        if (config.chatTemplate() == null) {
            throw new ChatTemplateException(config.source() + " has no chat_template; a base model needs one "
                    + "written in (e.g. ChatTemplates.CHATML) before chat use");
        }
        return new ChatTemplate(config.chatTemplate(), config.source(), config.bosToken(), config.eosToken());
    }

    /** The default chat template of a loaded tokenizer. */
    public static ChatTemplate of(TextTokenizer tokenizer) {
        return of(tokenizer.config());
    }

    /** Renders {@code messages}; {@code addGenerationPrompt} appends the opening of the assistant's turn. */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders {@code messages} with further template variables (e.g. {@code date_string}); they
     * may override the defaults.
     *
     * @throws ChatTemplateException naming the template source and the problem when it does not
     *     parse, fails, or calls {@code raise_exception}
     */
    public String render(List<Message> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (Message message : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", message.role());
            turn.put("content", message.content());
            turns.add(turn);
        }
        Map<String, Object> context = new HashMap<>();
        context.put("messages", turns);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        context.put("tools", null);
        context.putAll(variables);

        RenderResult result;
        try {
            result = jinjava.renderForResult(jinja2Source(), context);
        } catch (RuntimeException e) {
            throw new ChatTemplateException("Chat template from " + sourceName + " failed: " + e.getMessage(), e);
        }
        if (!result.getErrors().isEmpty()) {
            throw failure(result.getErrors());
        }
        return result.getOutput();
    }

    public String source() {
        return source;
    }

    public String sourceName() {
        return sourceName;
    }

    /** jinja2 drops one trailing newline of a template (keep_trailing_newline=False). */
    private String jinja2Source() {
        if (source.endsWith("\r\n")) {
            return source.substring(0, source.length() - 2);
        }
        return source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
    }

    private ChatTemplateException failure(List<TemplateError> errors) {
        for (TemplateError error : errors) {
            for (Throwable t = error.getException(); t != null; t = t.getCause()) {
                if (t instanceof TemplateFunctions.RaisedByTemplate raised) {
                    return new ChatTemplateException("Chat template from " + sourceName
                            + " rejected the conversation (raise_exception, line " + error.getLineno() + "): "
                            + raised.getMessage());
                }
            }
        }
        StringBuilder message = new StringBuilder("Chat template from ").append(sourceName).append(" failed:");
        for (TemplateError error : errors) {
            message.append("\n  line ").append(error.getLineno()).append(" (").append(error.getSeverity())
                    .append("): ").append(error.getMessage());
        }
        Exception cause = errors.get(0).getException();
        return cause != null
                ? new ChatTemplateException(message.toString(), cause)
                : new ChatTemplateException(message.toString());
    }
}
