package io.tuneforge.dataprep.clean;

import org.junit.jupiter.api.Test;

import java.text.Normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each cleaning rule, what it changes, what it leaves alone, and that it counts its changes. */
class TextCleanerTest {

    private final TextCleaner plain = new TextCleaner(false, false);
    private final TextCleaner html = new TextCleaner(true, false);
    private final TextCleaner pii = new TextCleaner(false, true);

    private static int[] counts() {
        return new int[CleaningRule.values().length];
    }

    private static int n(int[] counts, CleaningRule rule) {
        return counts[rule.ordinal()];
    }

    @Test
    void lineEndingsBecomeLineFeeds() {
        int[] c = counts();
        assertEquals("a\nb\nc", plain.clean("a\r\nb\rc", c));
        assertEquals(2, n(c, CleaningRule.LINE_ENDINGS));
    }

    @Test
    void controlCharactersGoButNewlinesAndTabsStay() {
        int[] c = counts();
        assertEquals("ab\n\tc d", plain.clean("a\u0007b\n\tc\u0085 d\u007f", c));
        assertEquals(3, n(c, CleaningRule.CONTROL_CHARACTERS));
    }

    @Test
    void zeroWidthJunkGoes() {
        int[] c = counts();
        assertEquals("wordjoin", plain.clean("\ufeffwo\u200brd\u200c\u200djo\u2060in", c));
        assertEquals(5, n(c, CleaningRule.ZERO_WIDTH));
    }

    @Test
    void nfkcFoldsCompatibilityForms() {
        int[] c = counts();
        assertEquals("ﬁ → fi, ① → 1, ＡＢＣ → ABC".replace("ﬁ", "fi").replace("①", "1").replace("ＡＢＣ", "ABC"),
                plain.clean("ﬁ → fi, ① → 1, ＡＢＣ → ABC", c));
        assertEquals(1, n(c, CleaningRule.NFKC));
    }

    @Test
    void trailingSpacesAndSpaceRunsGoButNewlinesAndIndentationStay() {
        int[] c = counts();
        String in = "Steps:   \n  1.  Open   the   file\n\n    - nested    item\t\nEnd";
        assertEquals("Steps:\n  1. Open the file\n\n    - nested item\nEnd", plain.clean(in, c));
        assertEquals(2, n(c, CleaningRule.TRAILING_WHITESPACE));
        assertEquals(4, n(c, CleaningRule.SPACE_RUNS));
    }

    @Test
    void trimRemovesLeadingBlankLinesAndTrailingWhitespace() {
        int[] c = counts();
        assertEquals("  indented first line\nsecond", plain.clean("\n\n  indented first line\nsecond\n\n", c));
        assertEquals(1, n(c, CleaningRule.TRIM));
        assertEquals("one line", plain.clean("   one line", counts()));
    }

    @Test
    void codeBlockIndentationSurvives() {
        String code = "```python\ndef f(x):\n    if x:   \n        return  [x,  x]  # two  spaces\n\n\n    return None\n```\n";
        String text = "Here   is code:  \n" + code + "After  it.";
        int[] c = counts();
        String cleaned = plain.clean(text, c);
        assertEquals("Here is code:\n" + code + "After it.", cleaned);
        // no NFKC inside code either: a full-width string literal stays full-width
        String fullWidth = "~~~\ns = \"ＡＢＣ\"\n~~~";
        assertEquals(fullWidth, plain.clean(fullWidth, counts()));
    }

    @Test
    void anUnclosedFenceProtectsTheRestOfTheText() {
        String text = "Intro  text\n```\n  keep   this  \n";
        assertEquals("Intro text\n```\n  keep   this", plain.clean(text, counts()));
    }

    @Test
    void chineseTextIsUntouchedExceptNfkc() {
        String chinese = "春天来了，万物复苏。\n  小草从地下探出头来：“你好！”\n山川、河流、田野都换上了新装（绿色的）。";
        int[] c = counts();
        String cleaned = plain.clean(chinese, c);
        assertEquals(Normalizer.normalize(chinese, Normalizer.Form.NFKC), cleaned);
        assertEquals("春天来了,万物复苏。", cleaned.substring(0, cleaned.indexOf('\n')));
        for (CleaningRule rule : CleaningRule.values()) {
            if (rule != CleaningRule.NFKC) {
                assertEquals(0, n(c, rule), rule + " changed Chinese text");
            }
        }
        String alreadyNormal = "机器学习是人工智能的一个分支。它使用数据训练模型。";
        int[] none = counts();
        assertEquals(alreadyNormal, plain.clean(alreadyNormal, none));
        assertEquals(0, java.util.Arrays.stream(none).sum());
    }

    @Test
    void htmlIsStrippedOnlyWhereItIsHtml() {
        int[] c = counts();
        assertEquals("Title\n\nSome bold text & more.\n\n- one\n- two",
                html.clean("<h1>Title</h1><p>Some <b>bold</b> text &amp; more.</p><ul><li>one</li><li>two</li></ul>", c));
        assertEquals(13, n(c, CleaningRule.HTML), "12 tags and one entity");
        // not HTML: generics and comparisons survive; entities are still decoded
        assertEquals("Use List<String> when a<b and c>d", html.clean("Use List<String> when a<b and c>d", counts()));
        assertEquals("Tom & Jerry", html.clean("Tom &amp; Jerry", counts()));
        // <pre> becomes a code fence, so its spacing is kept
        assertEquals("Code:\n```\nx  =  1\n    y\n```\n\nafter", html.clean("Code:<pre>x  =  1\n    y</pre><p>after</p>", counts()));
        // scripts and comments go with their content; HTML inside a code fence is an example and stays
        assertEquals("Hi", html.clean("<script>alert(1)</script><!-- note --><p>Hi</p>", counts()));
        String fenced = "```html\n<p>keep</p>\n```";
        assertEquals(fenced, html.clean(fenced, counts()));
        // without the option nothing is stripped
        assertEquals("<p>Hi</p>", plain.clean("<p>Hi</p>", counts()));
    }

    @Test
    void emailsAndPhonesAreRedactedAndCounted() {
        int[] c = counts();
        String out = pii.clean("Mail jane.doe+x@example.co.uk or 李雷lilei@mail.cn, call +44 20 7946 0958, "
                + "(555) 123-4567, 138-0013-8000 or 13800138000. Order 2024-01-15, 3.14159, 12345678.", c);
        assertEquals("Mail [EMAIL] or 李雷[EMAIL], call [PHONE], [PHONE], [PHONE] or [PHONE]. "
                + "Order 2024-01-15, 3.14159, 12345678.", out);
        assertEquals(2, n(c, CleaningRule.PII_EMAIL));
        assertEquals(4, n(c, CleaningRule.PII_PHONE));
    }

    @Test
    void cardNumbersNeedTheLuhnCheck() {
        int[] c = counts();
        assertEquals("card [CARD_NUMBER], amex [CARD_NUMBER], not 4111 1111 1111 1112",
                pii.clean("card 4111 1111 1111 1111, amex 3782-822463-10005, not 4111 1111 1111 1112", c));
        assertEquals(2, n(c, CleaningRule.PII_CREDIT_CARD));
        assertEquals(true, PiiRedactor.isCardNumber("5555555555554444"));
        assertEquals(false, PiiRedactor.isCardNumber("5555555555554445"));
    }

    @Test
    void chineseIdNumbersNeedTheirChecksumAndABirthDate() {
        // 11010519491231002X is the standard's worked example (GB 11643-1999)
        int[] c = counts();
        assertEquals("身份证号[ID_NUMBER]，另一个110105194912310021不对",
                pii.clean("身份证号11010519491231002X，另一个110105194912310021不对", c).replace(",", "，"));
        assertEquals(1, n(c, CleaningRule.PII_CN_ID));
        assertEquals(true, PiiRedactor.isChineseId("11010519491231002X"));
        assertEquals(false, PiiRedactor.isChineseId("110105194902300021"), "February 30th");
    }

    @Test
    void piiIsRedactedInsideCodeToo() {
        String out = pii.clean("```\nEMAIL = \"ops@example.com\"\n```", counts());
        assertEquals("```\nEMAIL = \"[EMAIL]\"\n```", out);
    }
}
