package io.tuneforge.dataprep.validate;

/**
 * The default token count when no tokenizer is given, a stated estimate rather than a tokenizer:
 * <ul>
 *   <li>every CJK character (Han ideographs, Hiragana, Katakana, Hangul, CJK symbols and punctuation, full-width
 *       forms) counts as 1 token — BPE vocabularies of Llama 3 / Qwen hold most common Han characters as one token
 *       and split rarer ones, so 1 per character is close on average;</li>
 *   <li>all other characters, spaces included, count as 1 token per 4 characters, rounded up per text — the usual
 *       rule of thumb for English with GPT-style BPE vocabularies.</li>
 * </ul>
 * So {@code "hello world"} (11 characters) is 3 tokens, {@code "你好，世界"} is 5, {@code "用 Java 写"} is
 * 2 + ceil(6 / 4) = 4. Expect it within about ±30% of a real tokenizer on prose; code and numbers vary more.
 */
public final class EstimatedTokenCounter implements TokenCounter {

    public static final EstimatedTokenCounter INSTANCE = new EstimatedTokenCounter();

    private EstimatedTokenCounter() {
    }

    @Override
    public int count(String text) {
        int cjk = 0;
        int other = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isCjk(cp)) {
                cjk++;
            } else {
                other++;
            }
        }
        return cjk + (other + 3) / 4;
    }

    @Override
    public String description() {
        return "estimate: 1 token per CJK character, 1 per 4 other characters (rounded up per text)";
    }

    /** Han, Hiragana, Katakana, Hangul, CJK symbols/punctuation, full-width and half-width forms. */
    public static boolean isCjk(int cp) {
        if (cp < 0x2E80) {
            return false;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL) {
            return true;
        }
        return (cp >= 0x3000 && cp <= 0x303F)       // CJK symbols and punctuation
                || (cp >= 0xFF00 && cp <= 0xFFEF)    // half-width and full-width forms
                || (cp >= 0x3200 && cp <= 0x33FF);   // enclosed CJK letters, CJK compatibility
    }
}
