package io.tuneforge.tuning.tokenizer;

import io.tuneforge.tuning.chat.ChatTemplates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EOS/BOS/PAD resolution across tokenizer_config.json, generation_config.json and config.json. */
class SpecialTokensTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeTokenizer() throws Exception {
        ByteLevelTokenizerFiles.write(dir, ByteLevelTokenizerFiles.CHATML_SPECIAL_TOKENS, ChatTemplates.CHATML);
    }

    private void tokenizerConfig(String json) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), json);
    }

    @Test
    void eosIdsAreTheUnionOfAllSourcesIntOrList() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"eos_token_id\": 256, \"bos_token_id\": 256}");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [258, 256]}");
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            assertEquals(List.of(258L, 256L), List.copyOf(tokenizer.specialTokens().eosIds()));
            assertTrue(tokenizer.specialTokens().isEos(256));
        }
    }

    @Test
    void tokenFieldsMayBeAddedTokenObjects() throws Exception {
        tokenizerConfig("{\"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<|im_start|>\", \"lstrip\": false},"
                + " \"eos_token\": {\"content\": \"<|endoftext|>\"}, \"pad_token\": null}");
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            SpecialTokens special = tokenizer.specialTokens();
            assertEquals("<|im_start|>", special.bosToken());
            assertEquals(257L, special.bosId());
            assertEquals(256L, special.eosId());
            assertNull(special.padId());
            assertEquals(256L, special.padIdOrEos(), "padding falls back to EOS");
        }
    }

    @Test
    void padIdMayComeFromConfigJson() throws Exception {
        tokenizerConfig("{\"eos_token\": \"<|im_end|>\"}");
        Files.writeString(dir.resolve("config.json"), "{\"pad_token_id\": 256}");
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            assertEquals(256L, tokenizer.specialTokens().padId());
            assertEquals("<|endoftext|>", tokenizer.specialTokens().padToken());
        }
    }

    @Test
    void eosStringThatIsNotOneTokenIsRefused() throws Exception {
        tokenizerConfig("{\"eos_token\": \"</s>\"}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TextTokenizer.load(dir));
        assertTrue(e.getMessage().contains("eos_token '</s>' encodes to 4 ids [60, 47, 115, 62]"), e.getMessage());
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }

    @Test
    void eosIdOutsideTheVocabularyIsRefused() throws Exception {
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [258, 4000]}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TextTokenizer.load(dir));
        assertTrue(e.getMessage().contains("generation_config.json: eos_token_id 4000 is not a token"), e.getMessage());
    }

    @Test
    void malformedEosIdIsRefused() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"eos_token_id\": \"258\"}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TextTokenizer.load(dir));
        assertTrue(e.getMessage().contains("eos_token_id must be a non-negative integer"), e.getMessage());
    }

    @Test
    void modelWithoutAnyEosIsRefused() throws Exception {
        tokenizerConfig("{\"pad_token\": \"<|endoftext|>\"}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TextTokenizer.load(dir));
        assertTrue(e.getMessage().startsWith("No EOS token"), e.getMessage());
    }

    @Test
    void configParsesTemplateListsAndIgnoresNoLimitLength() {
        TokenizerConfig config = TokenizerConfig.fromJson("{\"chat_template\": ["
                + "{\"name\": \"default\", \"template\": \"D\"}, {\"name\": \"tool_use\", \"template\": \"T\"}],"
                + " \"model_max_length\": 1000000000000000019884624838656, \"unk_token\": \"<unk>\"}", "t.json");
        assertEquals("D", config.chatTemplate());
        assertEquals(Map.of("tool_use", "T"), config.namedChatTemplates());
        assertNull(config.modelMaxLength());
        assertEquals("<unk>", config.unkToken());
        assertEquals(32768L, TokenizerConfig.fromJson("{\"model_max_length\": 32768}", "t").modelMaxLength());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenizerConfig.fromJson("{\"eos_token\": 5}", "x/tokenizer_config.json"));
        assertTrue(e.getMessage().contains("x/tokenizer_config.json: eos_token must be a string"), e.getMessage());
    }

    @Test
    void chatTemplateJinjaFileIsUsedWhenTheConfigHasNone() throws Exception {
        tokenizerConfig("{\"eos_token\": \"<|im_end|>\"}");
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ messages[0]['content'] }}");
        assertEquals("{{ messages[0]['content'] }}", TokenizerConfig.read(dir).chatTemplate());
    }
}
