package io.tuneforge.tuning.chat;

import io.tuneforge.tuning.tokenizer.ByteLevelTokenizerFiles;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expected strings are jinja2 3.1.6's output for the same template and messages in transformers'
 * environment (see src/test/resources/chat/README.md).
 */
class ChatTemplateTest {

    private static final List<Message> CONVERSATION = List.of(
            Message.system("You are a helpful assistant."),
            Message.user("Hello"),
            Message.assistant("Hi! How can I help?"),
            Message.user("2+2?"));

    private static final String CHATML_CONVERSATION = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nHello<|im_end|>\n"
            + "<|im_start|>assistant\nHi! How can I help?<|im_end|>\n"
            + "<|im_start|>user\n2+2?<|im_end|>\n";

    private static String resource(String name) throws IOException {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void chatmlRendersTheConversationWithAndWithoutGenerationPrompt() {
        ChatTemplate chatml = ChatTemplate.of(ChatTemplates.CHATML, "ChatTemplates.CHATML", null, "<|im_end|>");
        assertEquals(CHATML_CONVERSATION, chatml.render(CONVERSATION, false));
        assertEquals(CHATML_CONVERSATION + "<|im_start|>assistant\n", chatml.render(CONVERSATION, true));
    }

    @Test
    void messageTextIsNeverInterpretedAsTemplate() {
        ChatTemplate chatml = ChatTemplate.of(ChatTemplates.CHATML, "ChatTemplates.CHATML", null, "<|im_end|>");
        assertEquals("<|im_start|>user\n你好 👋 {{ 7*6 }} {% if x %}<|im_end|>\n<|im_start|>assistant\n",
                chatml.render(List.of(Message.user("你好 👋 {{ 7*6 }} {% if x %}")), true));
    }

    @Test
    void templateComesFromTheTokenizerConfig(@TempDir Path dir) throws Exception {
        ByteLevelTokenizerFiles.write(dir, ByteLevelTokenizerFiles.CHATML_SPECIAL_TOKENS, ChatTemplates.CHATML);
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            ChatTemplate template = ChatTemplate.of(tokenizer);
            assertEquals(CHATML_CONVERSATION, template.render(CONVERSATION, false));
            assertTrue(template.sourceName().endsWith("tokenizer_config.json"), template.sourceName());
        }
    }

    @Test
    void llama3InstructTemplateRendersExactly() throws IOException {
        ChatTemplate llama3 = ChatTemplate.of(resource("llama3-instruct.jinja"), "llama3-instruct.jinja",
                "<|begin_of_text|>", "<|eot_id|>");
        List<Message> messages = List.of(Message.system("You are helpful."), Message.user("  Hi there \n"),
                Message.assistant("Hello!"));
        // Leading spaces of the user turn are trimmed: "| trim" binds to message['content'] only.
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are helpful.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                llama3.render(messages, true));
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>",
                llama3.render(messages.subList(1, 2), false));
    }

    @Test
    void raiseExceptionFailsWithTheTemplatesMessage() throws IOException {
        ChatTemplate mistral = ChatTemplate.of(resource("mistral-instruct.jinja"), "mistral-instruct.jinja",
                "<s>", "</s>");
        assertEquals("<s>[INST] a [/INST]b</s> [INST] c [/INST]",
                mistral.render(List.of(Message.user("a"), Message.assistant("b"), Message.user("c")), false));
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> mistral.render(List.of(Message.user("a"), Message.user("b")), false));
        assertTrue(e.getMessage().contains("mistral-instruct.jinja"), e.getMessage());
        assertTrue(e.getMessage().endsWith(
                "Conversation roles must alternate user/assistant/user/assistant/..."), e.getMessage());
        ChatTemplateException system = assertThrows(ChatTemplateException.class,
                () -> mistral.render(List.of(Message.system("s")), false));
        assertTrue(system.getMessage().contains("Conversation roles must alternate"), system.getMessage());
    }

    @Test
    void blockTagsOnTheirOwnLinesLeaveNoWhitespaceAsInTransformers() {
        String source = """
                {% for message in messages %}
                    {% if message['role'] == 'system' %}
                [SYS] {{ message['content'] }}
                    {% else %}
                {{ message['role'] }}: {{ message['content'] }}
                    {% endif %}
                {% endfor %}
                {%- if add_generation_prompt %}
                assistant:
                {%- endif %}
                """;
        ChatTemplate template = ChatTemplate.of(source, "multi-line", null, null);
        assertEquals("[SYS] s\nuser: u\nassistant:",
                template.render(List.of(Message.system("s"), Message.user("u")), true));
        assertEquals("[SYS] s\nuser: u\n", template.render(List.of(Message.system("s"), Message.user("u")), false));
    }

    @Test
    void extraVariablesReachTheTemplate() {
        ChatTemplate template = ChatTemplate.of("{{ date_string }}|{{ messages | length }}", "vars", null, null);
        assertEquals("26 Jul 2024|1", template.render(List.of(Message.user("u")), false,
                Map.of("date_string", "26 Jul 2024")));
    }

    @Test
    void brokenTemplateNamesItsSourceAndTheProblem() {
        ChatTemplate unclosed = ChatTemplate.of("{% for message in messages %}{{ message['content'] }}",
                "broken.jinja", null, null);
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> unclosed.render(List.of(Message.user("u")), false));
        assertTrue(e.getMessage().startsWith("Chat template from broken.jinja failed"), e.getMessage());
        assertTrue(e.getMessage().contains("endfor"), e.getMessage());
    }

    @Test
    void filterJinjavaLacksIsRefusedWhenTheTemplateIsLoaded() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.of(
                "{{ '<|im_start|>' + messages[0]['content'] | trim | nosuch }}", "filters.jinja", null, null));
        assertEquals("Chat template from filters.jinja uses the filter 'nosuch', which Jinjava does not provide;"
                + " rewrite that part of the template", e.getMessage());
    }

    @Test
    void failingExpressionIsReported() {
        ChatTemplate upper = ChatTemplate.of("{{ messages[0]['content'].upper() }}", "py.jinja", null, null);
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> upper.render(List.of(Message.user("u")), false));
        assertTrue(e.getMessage().startsWith("Chat template from py.jinja failed:\n  line 1 (FATAL): "), e.getMessage());
        assertTrue(e.getMessage().contains("upper"), e.getMessage());
    }

    @Test
    void missingTemplateIsReportedWithTheConfigFile(@TempDir Path dir) throws Exception {
        ByteLevelTokenizerFiles.write(dir, ByteLevelTokenizerFiles.CHATML_SPECIAL_TOKENS, null);
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.of(tokenizer));
            assertTrue(e.getMessage().contains("has no chat_template"), e.getMessage());
        }
    }
}
