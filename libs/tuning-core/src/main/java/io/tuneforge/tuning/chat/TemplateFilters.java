package io.tuneforge.tuning.chat;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the filter names a Jinja template applies ({@code x | name}), so that a filter Jinjava
 * lacks fails when the template is loaded, as jinja2 fails at compile time. (Jinjava itself
 * renders an unknown filter as an empty string without any error.)
 *
 * <p>A small scanner, not a parser: it looks inside {@code {{ }}} and {@code {% %}} only, skips
 * {@code {# #}} comments and string literals (so {@code '<|im_start|>'} is no filter), and takes
 * the identifier after each {@code |}.
 */
final class TemplateFilters {

    private TemplateFilters() {
    }

    /** The distinct filter names used in {@code source}, in order of first use. */
    static Set<String> used(String source) {
        Set<String> names = new LinkedHashSet<>();
        int i = 0;
        int n = source.length();
        while (i < n - 1) {
            char c = source.charAt(i);
            char next = source.charAt(i + 1);
            if (c == '{' && next == '#') {
                int end = source.indexOf("#}", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '{' && (next == '{' || next == '%')) {
                i = scanTag(source, i + 2, next == '{' ? '}' : '%', names);
            } else {
                i++;
            }
        }
        return names;
    }

    /** Scans one tag from {@code i} to its closing {@code }}} or {@code %}}; returns the index after it. */
    private static int scanTag(String source, int i, char closer, Set<String> names) {
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipString(source, i);
            } else if (c == closer && i + 1 < n && source.charAt(i + 1) == '}') {
                return i + 2;
            } else if (c == '|') {
                int start = i + 1;
                while (start < n && Character.isWhitespace(source.charAt(start))) {
                    start++;
                }
                int end = start;
                while (end < n && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_')) {
                    end++;
                }
                if (end > start) {
                    names.add(source.substring(start, end));
                }
                i = end;
            } else {
                i++;
            }
        }
        return n;
    }

    private static int skipString(String source, int i) {
        char quote = source.charAt(i);
        int j = i + 1;
        while (j < source.length()) {
            char c = source.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == quote) {
                return j + 1;
            } else {
                j++;
            }
        }
        return j;
    }
}
