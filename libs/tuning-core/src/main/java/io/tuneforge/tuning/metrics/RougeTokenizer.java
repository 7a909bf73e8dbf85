package io.tuneforge.tuning.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tokens for ROUGE: every CJK letter ({@link CjkText#isCjkLetter}) is a token of its own
 * (character level, what LLaMA-Factory's ROUGE amounts to for Chinese text), every other run of
 * letters and digits is a word, lower-cased (Google's rouge-score does the same for English).
 * Whitespace, punctuation and symbols only separate tokens.
 *
 * <pre>
 * "The cat, the HAT."  → [the, cat, the, hat]
 * "我爱北京。"          → [我, 爱, 北, 京]
 * "用GPT-4写代码"       → [用, gpt, 4, 写, 代, 码]
 * </pre>
 *
 * <p>Combining marks (Mn, Mc) stay inside their word, so "café" written with a combining accent is one token.
 */
public final class RougeTokenizer {

    private RougeTokenizer() {
    }

    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (CjkText.isCjkLetter(cp)) {
                flush(word, out);
                out.add(new String(Character.toChars(cp)));
            } else if (Character.isLetterOrDigit(cp) || isMark(cp) && word.length() > 0) {
                word.appendCodePoint(cp);
            } else {
                flush(word, out);
            }
        }
        flush(word, out);
        return out;
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (word.length() > 0) {
            out.add(word.toString().toLowerCase(Locale.ROOT));
            word.setLength(0);
        }
    }
}
