package io.tuneforge.augment.operation;

import io.tuneforge.contracts.dataset.record.InstructionRecord;
import io.tuneforge.dataprep.manifest.LanguageMix;
import io.tuneforge.dataprep.record.Example;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Languages prompts can name and the gate can check, by the script their letters are written in — which is what can
 * be told apart without a language model: CJK (Han, kana, Hangul) against Latin against other letters, counted by
 * dataprep's {@link LanguageMix}. English and French are both "Latin": the gate checks the script, not the language.
 */
public enum Language {
    EN("en", "English", Script.LATIN),
    ZH("zh", "Chinese", Script.CJK),
    JA("ja", "Japanese", Script.CJK),
    KO("ko", "Korean", Script.CJK),
    DE("de", "German", Script.LATIN),
    FR("fr", "French", Script.LATIN),
    ES("es", "Spanish", Script.LATIN),
    IT("it", "Italian", Script.LATIN),
    PT("pt", "Portuguese", Script.LATIN),
    NL("nl", "Dutch", Script.LATIN),
    RU("ru", "Russian", Script.OTHER);

    /** Which {@link LanguageMix} share a text of the language should be high in. */
    public enum Script { CJK, LATIN, OTHER }

    private final String code;
    private final String displayName;
    private final Script script;

    Language(String code, String displayName, Script script) {
        this.code = code;
        this.displayName = displayName;
        this.script = script;
    }

    public String code() {
        return code;
    }

    /** English name, as prompts use it. */
    public String displayName() {
        return displayName;
    }

    public Script script() {
        return script;
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(Language::code).toList();
    }

    /** The language of an ISO 639-1 code (case-insensitive), or null. */
    public static Language fromCode(String code) {
        if (code == null) {
            return null;
        }
        String c = code.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.code.equals(c)).findFirst().orElse(null);
    }

    /** Share of the text's letters in each script: {cjk, latin, other}; all 0 for a text without letters. */
    public static double[] scriptShares(String text) {
        long[] n = LanguageMix.count(Example.of(new InstructionRecord(text, null, "", null), null));
        long all = n[LanguageMix.CJK] + n[LanguageMix.LATIN] + n[LanguageMix.OTHER];
        if (all == 0) {
            return new double[3];
        }
        return new double[] {(double) n[LanguageMix.CJK] / all, (double) n[LanguageMix.LATIN] / all,
                (double) n[LanguageMix.OTHER] / all};
    }

    /** Share of the text's letters in this language's script. */
    public double share(String text) {
        double[] s = scriptShares(text);
        return switch (script) {
            case CJK -> s[LanguageMix.CJK];
            case LATIN -> s[LanguageMix.LATIN];
            case OTHER -> s[LanguageMix.OTHER];
        };
    }

    /**
     * A guess from the script: Hangul → ko, kana → ja, other CJK → zh, Latin → en, Cyrillic → ru; en when the text
     * has no letters. Give {@code sourceLanguage} in a job's settings when the guess is not good enough.
     */
    public static Language detect(String text) {
        double[] s = scriptShares(text);
        if (s[LanguageMix.CJK] >= s[LanguageMix.LATIN] && s[LanguageMix.CJK] >= s[LanguageMix.OTHER]
                && s[LanguageMix.CJK] > 0) {
            boolean kana = false;
            boolean hangul = false;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                Character.UnicodeScript sc = Character.UnicodeScript.of(cp);
                kana |= sc == Character.UnicodeScript.HIRAGANA || sc == Character.UnicodeScript.KATAKANA;
                hangul |= sc == Character.UnicodeScript.HANGUL;
            }
            return hangul ? KO : kana ? JA : ZH;
        }
        if (s[LanguageMix.OTHER] > s[LanguageMix.LATIN]) {
            boolean cyrillic = text.codePoints()
                    .anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.CYRILLIC);
            return cyrillic ? RU : EN;
        }
        return EN;
    }
}
