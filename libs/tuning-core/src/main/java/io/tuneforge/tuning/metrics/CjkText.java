package io.tuneforge.tuning.metrics;

/**
 * Which characters count as Chinese, Japanese or Korean when metrics tokenise text.
 *
 * <p>CJK scripts do not separate words with spaces, so ROUGE and BLEU take each of their
 * characters as one token (the character-level tokenisation LLaMA-Factory's evaluation and
 * sacreBLEU's {@code zh} tokenizer use). Letters: Han ideographs, Hiragana, Katakana, Hangul and
 * Bopomofo. Punctuation: the CJK Symbols and Punctuation block (U+3000–U+303F, e.g. {@code 。、「」})
 * and the half-/full-width forms (U+FF00–U+FFEF, e.g. {@code ，！？}).
 */
public final class CjkText {

    private CjkText() {
    }

    /** Han, Hiragana, Katakana, Hangul or Bopomofo. */
    public static boolean isCjkLetter(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN
                || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || script == Character.UnicodeScript.HANGUL
                || script == Character.UnicodeScript.BOPOMOFO;
    }

    /** CJK punctuation and full-width forms that are not letters or digits (U+3000–U+303F, U+FF00–U+FFEF). */
    public static boolean isCjkPunctuation(int codePoint) {
        boolean block = (codePoint >= 0x3000 && codePoint <= 0x303F) || (codePoint >= 0xFF00 && codePoint <= 0xFFEF);
        return block && !Character.isLetterOrDigit(codePoint);
    }

    /** Whether any code point of {@code text} is a CJK letter. */
    public static boolean containsCjk(String text) {
        return text.codePoints().anyMatch(CjkText::isCjkLetter);
    }
}
