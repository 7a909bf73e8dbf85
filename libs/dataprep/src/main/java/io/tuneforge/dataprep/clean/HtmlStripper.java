package io.tuneforge.dataprep.clean;

import org.jsoup.parser.Parser;
import org.jsoup.parser.Tag;
import org.jsoup.parser.TagSet;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Optional HTML stripping that keeps the text's meaning and shape:
 * <ul>
 *   <li>only text that looks like HTML is touched: it has a closing tag of a known HTML element ({@code </p>}) or a
 *       {@code <br>}; so {@code a<b and c>d} or {@code List<String>} in prose stay as they are;</li>
 *   <li>only known HTML elements (jsoup's HTML tag set) are removed; {@code <T>} or {@code <String>} are kept;</li>
 *   <li>{@code <br>} and block elements become line breaks, {@code <li>} becomes {@code "\n- "}, {@code <pre>}
 *       becomes a code fence (so its content is then left alone), inline {@code <code>} becomes a backtick;
 *       {@code <script>}/{@code <style>} elements and comments are removed with their content;</li>
 *   <li>entities ({@code &amp;amp; &amp;lt; &amp;#20013;}) are decoded wherever one appears, HTML or not;</li>
 *   <li>three or more line breaks that stripping leaves in a row become two.</li>
 * </ul>
 * Unit of change: one per tag, comment or script/style element removed, one per entity decoded.
 */
final class HtmlStripper {

    private static final Pattern LOOKS_LIKE_HTML = Pattern.compile("</[A-Za-z][A-Za-z0-9]*\\s*>|<br\\s*/?>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern SCRIPT = Pattern.compile("<(script|style)\\b[^>]*>.*?</\\1\\s*>",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG = Pattern.compile(
            "<(/?)([A-Za-z][A-Za-z0-9]*)((?:\\s+[^\\s<>\"'=/]+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s\"'<>=`]+))?)*)\\s*/?>");
    private static final Pattern ENTITY = Pattern.compile("&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});");
    private static final Pattern BLANK_RUN = Pattern.compile("\\n[ \\t]*\\n(?:[ \\t]*\\n)+");

    private HtmlStripper() {
    }

    /** The text stripped; {@code changes[0]} grows by the number of changes. */
    static String strip(String text, int[] changes) {
        String s = text;
        int count = 0;
        if (s.indexOf('<') >= 0 && LOOKS_LIKE_HTML.matcher(s).find()) {
            Matcher m = COMMENT.matcher(s);
            count += countMatches(m);
            s = m.replaceAll("");
            m = SCRIPT.matcher(s);
            count += countMatches(m);
            s = m.replaceAll("");
            StringBuilder out = new StringBuilder(s.length());
            m = TAG.matcher(s);
            int last = 0;
            while (m.find()) {
                String name = m.group(2).toLowerCase(Locale.ROOT);
                Tag tag = TagSet.Html().get(name, Parser.NamespaceHtml);
                if (tag == null) {
                    continue;   // not an HTML element: <T>, <String>, <your-name>
                }
                out.append(s, last, m.start()).append(replacement(name, tag, !m.group(1).isEmpty()));
                last = m.end();
                count++;
            }
            out.append(s, last, s.length());
            s = count > 0 ? BLANK_RUN.matcher(out).replaceAll("\n\n") : out.toString();
        }
        if (s.indexOf('&') >= 0) {
            Matcher e = ENTITY.matcher(s);
            int entities = countMatches(e);
            if (entities > 0) {
                String decoded = Parser.unescapeEntities(s, false);
                if (!decoded.equals(s)) {
                    count += entities;
                    s = decoded;
                }
            }
        }
        changes[0] += count;
        return s;
    }

    private static String replacement(String name, Tag tag, boolean closing) {
        switch (name) {
            case "br":
                return "\n";
            case "pre":
                return "\n```\n";
            case "li":
                return closing ? "" : "\n- ";
            case "code":
            case "kbd":
            case "samp":
                return "`";
            default:
                return tag.isBlock() ? "\n" : "";
        }
    }

    private static int countMatches(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        m.reset();
        return n;
    }
}
