package io.tuneforge.dataprep.manifest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.dataprep.record.Example;

/**
 * The script mix of the kept records by share of letters: CJK (Han, Hiragana, Katakana, Hangul), Latin, and other
 * letters (Cyrillic, Arabic, Devanagari, ...). Digits, punctuation, symbols and spaces are not counted.
 */
public final class LanguageMix {

    public static final int CJK = 0;
    public static final int LATIN = 1;
    public static final int OTHER = 2;

    private final long[] totals = new long[3];

    /** Letters of each kind in one record's texts: {cjk, latin, other}. */
    public static long[] count(Example example) {
        long[] counts = new long[3];
        for (Example.Text t : example.texts()) {
            String s = t.text();
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                if (cp < 0x80) {
                    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') {
                        counts[LATIN]++;
                    }
                    continue;
                }
                if (!Character.isLetter(cp) && !Character.isIdeographic(cp)) {
                    continue;
                }
                Character.UnicodeScript script = Character.UnicodeScript.of(cp);
                switch (script) {
                    case HAN, HIRAGANA, KATAKANA, HANGUL, BOPOMOFO -> counts[CJK]++;
                    case LATIN -> counts[LATIN]++;
                    default -> counts[OTHER]++;
                }
            }
        }
        return counts;
    }

    public void add(long[] counts) {
        for (int i = 0; i < 3; i++) {
            totals[i] += counts[i];
        }
    }

    public ObjectNode toJson() {
        long all = totals[0] + totals[1] + totals[2];
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("cjk", share(totals[CJK], all));
        o.put("latin", share(totals[LATIN], all));
        o.put("other", share(totals[OTHER], all));
        ObjectNode letters = o.putObject("letters");
        letters.put("cjk", totals[CJK]);
        letters.put("latin", totals[LATIN]);
        letters.put("other", totals[OTHER]);
        return o;
    }

    private static double share(long n, long all) {
        return all == 0 ? 0 : Math.round(10000.0 * n / all) / 10000.0;
    }
}
