package io.tuneforge.dataprep.clean;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Splits text into prose and fenced code blocks (Markdown/CommonMark: a line of three or more backticks or tildes,
 * indented at most three spaces, opens a block; a line of the same character, at least as many, closes it; an
 * unclosed block runs to the end). Code blocks, fence lines included, are kept as they are by the rules that
 * rewrite prose.
 */
public final class CodeFences {

    /** A run of text: prose or a code block (with its fence lines). */
    public record Segment(boolean code, String text) {
    }

    private CodeFences() {
    }

    public static List<Segment> split(String text) {
        List<Segment> out = new ArrayList<>(1);
        if (text.indexOf("```") < 0 && text.indexOf("~~~") < 0) {
            out.add(new Segment(false, text));
            return out;
        }
        int segmentStart = 0;
        int pos = 0;
        char fenceChar = 0;
        int fenceLength = 0;
        while (pos <= text.length()) {
            int nl = text.indexOf('\n', pos);
            int lineEnd = nl < 0 ? text.length() : nl;
            String line = text.substring(pos, lineEnd);
            int next = nl < 0 ? text.length() + 1 : nl + 1;
            if (fenceChar == 0) {
                int[] fence = fence(line);
                if (fence != null && (fence[0] != '`' || line.indexOf('`', indent(line) + fence[1]) < 0)) {
                    if (pos > segmentStart) {
                        out.add(new Segment(false, text.substring(segmentStart, pos)));
                    }
                    segmentStart = pos;
                    fenceChar = (char) fence[0];
                    fenceLength = fence[1];
                }
            } else {
                int[] fence = fence(line);
                if (fence != null && fence[0] == fenceChar && fence[1] >= fenceLength
                        && line.substring(indent(line) + fence[1]).isBlank()) {
                    int end = Math.min(next, text.length());
                    out.add(new Segment(true, text.substring(segmentStart, end)));
                    segmentStart = end;
                    fenceChar = 0;
                }
            }
            pos = next;
        }
        if (segmentStart < text.length()) {
            out.add(new Segment(fenceChar != 0, text.substring(segmentStart)));
        }
        return out;
    }

    /** {@code fn} applied to the prose segments only; code segments are copied unchanged. */
    public static String mapProse(String text, UnaryOperator<String> fn) {
        List<Segment> segments = split(text);
        if (segments.size() == 1 && !segments.get(0).code()) {
            return fn.apply(text);
        }
        StringBuilder out = new StringBuilder(text.length());
        for (Segment s : segments) {
            out.append(s.code() ? s.text() : fn.apply(s.text()));
        }
        return out.toString();
    }

    /** {char, length} of a fence at the start of {@code line}, or null. */
    private static int[] fence(String line) {
        int i = indent(line);
        if (i > 3 || i >= line.length()) {
            return null;
        }
        char c = line.charAt(i);
        if (c != '`' && c != '~') {
            return null;
        }
        int n = 0;
        while (i + n < line.length() && line.charAt(i + n) == c) {
            n++;
        }
        return n >= 3 ? new int[] {c, n} : null;
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
