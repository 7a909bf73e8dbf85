package io.tuneforge.tuning.tokenizer;

import io.tuneforge.tuning.chat.ChatTemplates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteLevelTokenizerFilesTest {

    @TempDir
    Path dir;

    private TextTokenizer writeAndLoad() throws Exception {
        ByteLevelTokenizerFiles.write(dir, ByteLevelTokenizerFiles.CHATML_SPECIAL_TOKENS, ChatTemplates.CHATML);
        return TextTokenizer.load(dir);
    }

    @Test
    void everyUtf8ByteIsOneTokenWhoseIdIsTheByteValue() throws Exception {
        try (TextTokenizer tokenizer = writeAndLoad()) {
            String text = "Grüße, 世界! 👍🏽\t\n\u0000 end  ";
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            long[] expected = new long[utf8.length];
            for (int i = 0; i < utf8.length; i++) {
                expected[i] = utf8[i] & 0xff;
            }
            assertArrayEquals(expected, tokenizer.encode(text));
        }
    }

    @Test
    void anyTextRoundTripsIncludingChineseEmojiAndControlCharacters() throws Exception {
        try (TextTokenizer tokenizer = writeAndLoad()) {
            List<String> texts = List.of("", "hello world", "  leading and trailing  ", "你好，世界。机器学习",
                    "emoji 🚀🧪👩‍👩‍👧 and flags 🇩🇪", "tabs\tnew\nlines\r\n", "\u0000\u0001\u007f\u00ad\u00a0",
                    "code: for (int i = 0; i < n; i++) { x[i] = \"é\"; }", "Ǆ ʤ ﬁ Ω ∑ 𝔘𝔫𝔦");
            for (String text : texts) {
                assertEquals(text, tokenizer.decode(tokenizer.encode(text), false), "round trip of " + text);
            }
        }
    }

    @Test
    void everyByteIdIsATokenAndAllTwoByteCharactersRoundTrip() throws Exception {
        try (TextTokenizer tokenizer = writeAndLoad()) {
            for (long b = 0; b < 256; b++) {
                assertTrue(tokenizer.idToToken(b).isPresent(), "byte id " + b + " is a token");
            }
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < 0x800; c++) {
                text.append((char) c);
            }
            long[] ids = tokenizer.encode(text.toString());
            assertEquals(text.toString().getBytes(StandardCharsets.UTF_8).length, ids.length);
            assertEquals(text.toString(), tokenizer.decode(ids, false));
        }
    }

    @Test
    void specialTokensAreSingleIdsAfterTheBytes() throws Exception {
        try (TextTokenizer tokenizer = writeAndLoad()) {
            assertEquals(256, tokenizer.tokenToId("<|endoftext|>"));
            assertEquals(257, tokenizer.tokenToId("<|im_start|>"));
            assertEquals(258, tokenizer.tokenToId("<|im_end|>"));
            long[] ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|>\n");
            assertArrayEquals(new long[] {257, 'u', 's', 'e', 'r', '\n', 'h', 'i', 258, '\n'}, ids);
            assertEquals("<|im_start|>user\nhi<|im_end|>\n", tokenizer.decode(ids, false));
            assertEquals("user\nhi\n", tokenizer.decode(ids, true));
            assertTrue(tokenizer.isSpecial(258));
            assertFalse(tokenizer.isSpecial('h'));
            assertEquals("<|im_end|>", tokenizer.idToToken(258).orElseThrow());
            assertEquals("h", tokenizer.idToToken('h').orElseThrow());
            assertTrue(tokenizer.idToToken(300).isEmpty(), "ids past the vocabulary are no tokens");
        }
    }

    @Test
    void configNamesEosPadAndChatTemplate() throws Exception {
        try (TextTokenizer tokenizer = writeAndLoad()) {
            TokenizerConfig config = tokenizer.config();
            assertEquals(ChatTemplates.CHATML, config.chatTemplate());
            assertNull(config.bosToken());
            assertEquals("<|im_end|>", config.eosToken());
            assertEquals("<|endoftext|>", config.padToken());
            SpecialTokens special = tokenizer.specialTokens();
            assertEquals(Set.of(258L), special.eosIds());
            assertEquals(258L, special.eosId());
            assertEquals(256L, special.padId());
            assertNull(special.bosId());
        }
    }

    @Test
    void customSpecialTokensGetConsecutiveIds() throws Exception {
        List<String> specials = List.of("<s>", "</s>", "<pad>", "<|tool|>");
        ByteLevelTokenizerFiles.write(dir, specials, null, "</s>", "<pad>");
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            assertEquals(259, tokenizer.tokenToId("<|tool|>"));
            assertEquals(Set.of(257L), tokenizer.specialTokens().eosIds());
            assertEquals(258L, tokenizer.specialTokens().padId());
            assertEquals(259, ByteLevelTokenizerFiles.specialTokenId(specials, "<|tool|>"));
        }
    }

    @Test
    void refusesEosThatIsNotASpecialToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ByteLevelTokenizerFiles.write(dir, List.of("<|endoftext|>"), null, "</s>", null));
        assertTrue(e.getMessage().contains("eosToken '</s>'"), e.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () ->
                ByteLevelTokenizerFiles.write(dir, List.of("<a>", "<a>"), null, "<a>", null));
        assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
    }

    @Test
    void alphabetIsGpt2s() {
        String[] table = ByteLevelTokenizerFiles.byteToUnicode();
        assertEquals("Ġ", table[' ']);
        assertEquals("Ċ", table['\n']);
        assertEquals("Ā", table[0]);
        assertEquals("A", table['A']);
        assertEquals("ÿ", table[0xff]);
        assertEquals("Ń", table[0xad]);
        assertEquals(256, new HashSet<>(List.of(table)).size());
    }
}
