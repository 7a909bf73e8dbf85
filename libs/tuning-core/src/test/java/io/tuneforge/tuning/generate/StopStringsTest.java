package io.tuneforge.tuning.generate;

import io.tuneforge.tuning.chat.ChatTemplates;
import io.tuneforge.tuning.tokenizer.ByteLevelTokenizerFiles;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopStringsTest {

    @TempDir
    static Path dir;
    static TextTokenizer tokenizer;

    @BeforeAll
    static void tokenizer() throws Exception {
        ByteLevelTokenizerFiles.write(dir, ByteLevelTokenizerFiles.CHATML_SPECIAL_TOKENS, ChatTemplates.CHATML);
        tokenizer = TextTokenizer.load(dir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    /** True at the first token count whose text contains a stop string, as Generator checks it. */
    private static int firstMatch(StopStrings stops, String text) {
        long[] ids = tokenizer.encode(text);
        for (int n = 1; n <= ids.length; n++) {
            if (stops.matchesTail(tokenizer, ids, n)) {
                return n;
            }
        }
        return -1;
    }

    @Test
    void matchesAsSoonAsTheStopStringIsComplete() {
        StopStrings stops = new StopStrings(List.of("END", "\n\n"));
        assertEquals("abc END".length(), firstMatch(stops, "abc END and more"));
        assertEquals("line\n\n".length(), firstMatch(stops, "line\n\nnext END"));
        assertEquals(-1, firstMatch(stops, "abc EN D"));
    }

    @Test
    void multiByteStopStringsSpanSeveralTokens() {
        StopStrings stops = new StopStrings(List.of("停止"));
        assertEquals("好的".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 6,
                firstMatch(stops, "好的停止吧"));
        assertEquals(8, stops.windowTokens(), "6 bytes + 2");
    }

    @Test
    void specialTokenTextCountsAsAStopString() {
        StopStrings stops = new StopStrings(List.of("<|im_end|>"));
        long[] ids = tokenizer.encode("ok<|im_end|>");
        assertFalse(stops.matchesTail(tokenizer, ids, 2));
        assertTrue(stops.matchesTail(tokenizer, ids, 3));
    }

    @Test
    void tailWindowIgnoresTextBeforeIt() {
        StopStrings stops = new StopStrings(List.of("ab"));
        long[] ids = tokenizer.encode("ab" + "x".repeat(10));
        assertFalse(stops.matchesTail(tokenizer, ids, ids.length), "an old match is not found again");
        assertTrue(stops.matchesTail(tokenizer, Arrays.copyOf(ids, 2), 2));
    }

    @Test
    void cutEndsBeforeTheEarliestStopString() {
        StopStrings stops = new StopStrings(List.of("B", "C"));
        assertEquals("xx", stops.cut("xxCyyB"));
        assertEquals("xxyy", stops.cut("xxyy"));
        assertTrue(new StopStrings(List.of()).isEmpty());
    }
}
