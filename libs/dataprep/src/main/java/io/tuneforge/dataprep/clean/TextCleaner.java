package io.tuneforge.dataprep.clean;

import java.text.Normalizer;

/**
 * Cleans one text field without changing what it says. In order:
 * <ol>
 *   <li>{@link CleaningRule#LINE_ENDINGS}, {@link CleaningRule#CONTROL_CHARACTERS} (all but {@code \n} and
 *       {@code \t}), {@link CleaningRule#ZERO_WIDTH} — everywhere, code blocks included;</li>
 *   <li>outside fenced code blocks: {@link CleaningRule#HTML} (when enabled), then {@link CleaningRule#NFKC};</li>
 *   <li>outside fenced code blocks (found again: HTML {@code <pre>} becomes a fence):
 *       {@link CleaningRule#TRAILING_WHITESPACE} and {@link CleaningRule#SPACE_RUNS} — line breaks and each line's
 *       leading indentation are kept, so lists, quotes and indented text keep their shape;</li>
 *   <li>PII redaction (when enabled) — everywhere, since a leak in a code block is still a leak;</li>
 *   <li>{@link CleaningRule#TRIM}.</li>
 * </ol>
 * <b>Code blocks</b> (Markdown fences) are byte-for-byte untouched apart from the first and fourth steps: no NFKC
 * (it would rewrite full-width characters and superscripts inside string literals), no whitespace changes (indentation
 * and alignment are syntax), no HTML stripping (HTML in code is an example, not markup). <b>CJK text</b> changes only
 * by NFKC, which maps full-width ASCII forms such as {@code ，：（} to {@code , : (} and U+3000 to a space; Han
 * characters and {@code 。、「」} are unchanged.
 *
 * <p>Thread-safe; counts go to the caller's array, indexed by {@link CleaningRule#ordinal()}.
 */
public final class TextCleaner {

    private final boolean stripHtml;
    private final boolean redactPii;

    public TextCleaner(boolean stripHtml, boolean redactPii) {
        this.stripHtml = stripHtml;
        this.redactPii = redactPii;
    }

    /** The cleaned text; {@code changes[rule.ordinal()]} grows by the changes each rule made. */
    public String clean(String text, int[] changes) {
        String s = removeJunk(text, changes);
        int[] html = {0};
        int[] nfkc = {0};
        s = CodeFences.mapProse(s, prose -> {
            String p = stripHtml ? HtmlStripper.strip(prose, html) : prose;
            if (!Normalizer.isNormalized(p, Normalizer.Form.NFKC)) {
                String n = Normalizer.normalize(p, Normalizer.Form.NFKC);
                if (!n.equals(p)) {
                    nfkc[0]++;
                    p = n;
                }
            }
            return p;
        });
        changes[CleaningRule.HTML.ordinal()] += html[0];
        changes[CleaningRule.NFKC.ordinal()] += nfkc[0];
        s = CodeFences.mapProse(s, prose -> whitespace(prose, changes));
        if (redactPii) {
            s = PiiRedactor.redact(s, changes);
        }
        return trim(s, changes);
    }

    /** Line endings, control characters and zero-width characters, in one pass. */
    private static String removeJunk(String text, int[] changes) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            CleaningRule rule = null;
            char replacement = 0;
            if (c == '\r') {
                rule = CleaningRule.LINE_ENDINGS;
                boolean crlf = i + 1 < text.length() && text.charAt(i + 1) == '\n';
                replacement = crlf ? 0 : '\n';
            } else if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F)) {
                rule = CleaningRule.CONTROL_CHARACTERS;
            } else if ((c >= 0x200B && c <= 0x200D) || c == 0xFEFF || c == 0x2060) {
                rule = CleaningRule.ZERO_WIDTH;
            }
            if (rule == null) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            changes[rule.ordinal()]++;
            if (replacement != 0) {
                out.append(replacement);
            }
        }
        return out == null ? text : out.toString();
    }

    /** Trailing spaces/tabs of each line removed, runs of spaces after the indentation collapsed. */
    private static String whitespace(String prose, int[] changes) {
        if (prose.indexOf("  ") < 0 && prose.indexOf(" \n") < 0 && prose.indexOf("\t\n") < 0
                && !prose.endsWith(" ") && !prose.endsWith("\t")) {
            return prose;
        }
        StringBuilder out = new StringBuilder(prose.length());
        int pos = 0;
        while (pos <= prose.length()) {
            int nl = prose.indexOf('\n', pos);
            int end = nl < 0 ? prose.length() : nl;
            int indentEnd = pos;
            while (indentEnd < end && (prose.charAt(indentEnd) == ' ' || prose.charAt(indentEnd) == '\t')) {
                indentEnd++;
            }
            int contentEnd = end;
            while (contentEnd > indentEnd && (prose.charAt(contentEnd - 1) == ' ' || prose.charAt(contentEnd - 1) == '\t')) {
                contentEnd--;
            }
            if (contentEnd < end && contentEnd > indentEnd) {
                changes[CleaningRule.TRAILING_WHITESPACE.ordinal()]++;
            } else if (contentEnd == indentEnd && end > pos) {
                // a line of only spaces: it becomes empty
                changes[CleaningRule.TRAILING_WHITESPACE.ordinal()]++;
            }
            if (contentEnd > indentEnd) {
                out.append(prose, pos, indentEnd);
                boolean previousSpace = false;
                for (int i = indentEnd; i < contentEnd; i++) {
                    char c = prose.charAt(i);
                    if (c == ' ' && previousSpace) {
                        if (prose.charAt(i - 2) != ' ') {   // the run's second space: count the run once
                            changes[CleaningRule.SPACE_RUNS.ordinal()]++;
                        }
                        continue;
                    }
                    previousSpace = c == ' ';
                    out.append(c);
                }
            }
            if (nl < 0) {
                break;
            }
            out.append('\n');
            pos = nl + 1;
        }
        return out.toString();
    }

    /** Leading blank lines and trailing whitespace; a one-line text also loses its leading spaces. */
    private static String trim(String s, int[] changes) {
        int lineStart = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                lineStart = i + 1;
            } else if (c != ' ' && c != '\t') {
                break;
            }
        }
        int start = lineStart;
        int end = s.length();
        while (end > start && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        String t = s.substring(start, end);
        if (t.indexOf('\n') < 0) {
            t = t.strip();
        }
        if (!t.equals(s)) {
            changes[CleaningRule.TRIM.ordinal()]++;
        }
        return t;
    }
}
