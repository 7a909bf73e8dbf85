package io.tuneforge.tuning.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * sacreBLEU's default {@code 13a} tokenizer (the one of Moses' mteval-v13a.pl), and for text with
 * CJK characters the same after putting every CJK letter and CJK punctuation mark between spaces
 * (the idea of sacreBLEU's {@code zh} tokenizer, applied to kana and hangul too).
 *
 * <p>13a, step by step as sacreBLEU's {@code Tokenizer13a} / {@code TokenizerRegexp}:
 * <ol>
 *   <li>drop {@code <skipped>}, join {@code "-\n"}, newlines become spaces;</li>
 *   <li>unescape {@code &quot; &amp; &lt; &gt;};</li>
 *   <li>pad the line with a space on both sides, then
 *       <ul>
 *         <li>{@code ([\{-\~\[-\` -\&\(-\+\:-\@\/])} → {@code " \1 "} (symbols and most ASCII punctuation;
 *             not the apostrophe, comma, hyphen or period),</li>
 *         <li>{@code ([^0-9])([\.,])} → {@code "\1 \2 "} (period/comma not after a digit),</li>
 *         <li>{@code ([\.,])([^0-9])} → {@code " \1 \2"} (period/comma not before a digit),</li>
 *         <li>{@code ([0-9])(-)} → {@code "\1 \2 "} (dash after a digit);</li>
 *       </ul></li>
 *   <li>split on whitespace (Python's {@code str.split()}) and join with single spaces.</li>
 * </ol>
 * No lower-casing (sacreBLEU's default is case-sensitive).
 */
public final class BleuTokenizer {

    /** Name of the tokenisation for reports: sacreBLEU's signature field {@code tok}. */
    public static final String NAME = "13a";
    /** Name when CJK characters were split first. */
    public static final String CJK_NAME = "13a+cjk-chars";

    private static final Pattern SYMBOLS = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    private static final Pattern PERIOD_COMMA_NOT_AFTER_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern PERIOD_COMMA_NOT_BEFORE_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private BleuTokenizer() {
    }

    /** Tokens of {@code text}: 13a, with CJK characters split first when there are any. */
    public static List<String> tokens(String text) {
        return split(tokenize(text));
    }

    /** The tokenised line, tokens joined by single spaces (what sacreBLEU's tokenizers return). */
    public static String tokenize(String text) {
        return tokenize13a(splitCjk(text));
    }

    /** sacreBLEU's {@code Tokenizer13a}. */
    public static String tokenize13a(String line) {
        line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (line.contains("&")) {
            line = line.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        line = " " + line + " ";
        line = SYMBOLS.matcher(line).replaceAll(" $1 ");
        line = PERIOD_COMMA_NOT_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
        line = PERIOD_COMMA_NOT_BEFORE_DIGIT.matcher(line).replaceAll(" $1 $2");
        line = DASH_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
        return String.join(" ", split(line));
    }

    /** Every CJK letter and CJK punctuation mark between spaces; other text unchanged. */
    static String splitCjk(String text) {
        if (text.codePoints().noneMatch(cp -> CjkText.isCjkLetter(cp) || CjkText.isCjkPunctuation(cp))) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() * 2);
        text.strip().codePoints().forEach(cp -> {
            if (CjkText.isCjkLetter(cp) || CjkText.isCjkPunctuation(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Python's {@code str.split()}: runs of whitespace separate, no empty tokens. */
    static List<String> split(String line) {
        List<String> tokens = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i < line.length()) {
            int cp = line.codePointAt(i);
            boolean space = isPythonSpace(cp);
            if (space && start >= 0) {
                tokens.add(line.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            tokens.add(line.substring(start));
        }
        return tokens;
    }

    /** Python's {@code str.isspace()} for one code point. */
    static boolean isPythonSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }
}
