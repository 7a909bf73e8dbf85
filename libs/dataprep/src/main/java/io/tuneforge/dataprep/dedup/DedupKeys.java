package io.tuneforge.dataprep.dedup;

import io.tuneforge.dataprep.record.CanonicalJson;
import io.tuneforge.dataprep.record.Example;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * What duplicates are judged on. Both keys use the record's normalised text: case-folded (upper- then lower-cased,
 * so {@code ß} and {@code SS} fold alike), every run of whitespace (line breaks included) as one space, trimmed.
 * <ul>
 *   <li>exact key: SHA-256 of the canonical JSON of the normalised record without its source label — so roles,
 *       field names and field boundaries count, case and spacing do not;</li>
 *   <li>near-duplicate text: the normalised text fields joined by line breaks, shingled by {@link MinHasher}.</li>
 * </ul>
 */
public final class DedupKeys {

    private DedupKeys() {
    }

    public static String normalize(String text) {
        String folded = text.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(folded.length());
        boolean space = false;
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** SHA-256 of the canonical JSON of the normalised record (source label left out). */
    public static byte[] exactDigest(Example example) {
        byte[] json = CanonicalJson.write(example.mapTexts((path, text) -> normalize(text)), false);
        return sha256().digest(json);
    }

    /** The normalised text fields joined by line breaks. */
    public static String shingleText(Example example) {
        StringBuilder s = new StringBuilder();
        for (Example.Text t : example.texts()) {
            if (s.length() > 0) {
                s.append('\n');
            }
            s.append(normalize(t.text()));
        }
        return s.toString();
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
