package io.tuneforge.dataprep.clean;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Optional PII redaction, precision first (a false redaction changes a training example, a missed one is a leak that
 * a checksum cannot fully prevent anyway):
 * <ol>
 *   <li>Chinese resident ID numbers: 18 characters, a real birth date (1800-2099) at positions 7-14, and the ISO
 *       7064 MOD 11-2 check character → {@code [ID_NUMBER]};</li>
 *   <li>payment card numbers: 13-19 digits starting 2-6, optionally grouped by spaces or dashes, passing the Luhn
 *       check → {@code [CARD_NUMBER]};</li>
 *   <li>e-mail addresses → {@code [EMAIL]};</li>
 *   <li>phone numbers: {@code +} and a country code with 8-15 digits in all, Chinese mobile numbers ({@code 1[3-9]}
 *       and 9 more digits, optional {@code +86}), and North American {@code (555) 123-4567} / {@code 555-123-4567}
 *       → {@code [PHONE]}. Bare digit runs without these shapes are left alone (they are usually not phones).</li>
 * </ol>
 * Numbers touching other digits or letters are never matched. Counts go to {@link CleaningRule#PII_CN_ID},
 * {@link CleaningRule#PII_CREDIT_CARD}, {@link CleaningRule#PII_EMAIL}, {@link CleaningRule#PII_PHONE}.
 */
final class PiiRedactor {

    static final String ID_TOKEN = "[ID_NUMBER]";
    static final String CARD_TOKEN = "[CARD_NUMBER]";
    static final String EMAIL_TOKEN = "[EMAIL]";
    static final String PHONE_TOKEN = "[PHONE]";

    private static final Pattern CN_ID = Pattern.compile(
            "(?<![0-9A-Za-z])[1-9][0-9]{5}(1[89]|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9A-Za-z])");
    private static final Pattern CARD = Pattern.compile("(?<![0-9A-Za-z])[2-6][0-9]{3}(?:[ -]?[0-9]){9,15}(?![0-9A-Za-z])");
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,24}(?![A-Za-z0-9-])");
    private static final Pattern PHONE = Pattern.compile(
            "(?<![0-9A-Za-z+])(?:"
                    + "\\+[1-9][0-9]{0,2}(?:[ .-]?\\(?[0-9]{1,4}\\)?){2,5}"           // international
                    + "|(?:\\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}"              // Chinese mobile
                    + "|(?:\\([0-9]{3}\\) ?|[0-9]{3}[-. ])[0-9]{3}[-. ][0-9]{4}"      // North American
                    + ")(?![0-9A-Za-z])");

    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String ID_CHECK = "10X98765432";

    private PiiRedactor() {
    }

    /** The text redacted; {@code changes} is indexed by {@link CleaningRule#ordinal()}. */
    static String redact(String text, int[] changes) {
        if (!mayContain(text)) {
            return text;
        }
        String s = replace(text, CN_ID, ID_TOKEN, PiiRedactor::isChineseId, changes, CleaningRule.PII_CN_ID);
        s = replace(s, CARD, CARD_TOKEN, PiiRedactor::isCardNumber, changes, CleaningRule.PII_CREDIT_CARD);
        s = replace(s, EMAIL, EMAIL_TOKEN, m -> true, changes, CleaningRule.PII_EMAIL);
        return replace(s, PHONE, PHONE_TOKEN, PiiRedactor::isPhone, changes, CleaningRule.PII_PHONE);
    }

    /** Cheap pre-check: PII needs '@' or a run of at least 7 digits (ignoring separators). */
    private static boolean mayContain(String text) {
        if (text.indexOf('@') >= 0) {
            return true;
        }
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits >= 7) {
                    return true;
                }
            } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '+') {
                digits = 0;
            }
        }
        return false;
    }

    private interface Check {
        boolean test(String match);
    }

    private static String replace(String text, Pattern pattern, String token, Check check, int[] changes,
            CleaningRule rule) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (!check.test(m.group())) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start()).append(token);
            last = m.end();
            changes[rule.ordinal()]++;
        }
        if (out == null) {
            return text;
        }
        return out.append(text, last, text.length()).toString();
    }

    /** 18 characters with a valid birth date and ISO 7064 MOD 11-2 check character. */
    static boolean isChineseId(String id) {
        if (id.length() != 18) {
            return false;
        }
        try {
            LocalDate.of(Integer.parseInt(id.substring(6, 10)), Integer.parseInt(id.substring(10, 12)),
                    Integer.parseInt(id.substring(12, 14)));
        } catch (DateTimeException | NumberFormatException e) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * ID_WEIGHTS[i];
        }
        return Character.toUpperCase(id.charAt(17)) == ID_CHECK.charAt(sum % 11);
    }

    /** 13-19 digits (separators ignored) passing the Luhn check. */
    static boolean isCardNumber(String match) {
        String digits = match.replaceAll("[ -]", "");
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static boolean isPhone(String match) {
        int digits = 0;
        for (int i = 0; i < match.length(); i++) {
            if (Character.isDigit(match.charAt(i))) {
                digits++;
            }
        }
        return digits >= 8 && digits <= 15;
    }
}
