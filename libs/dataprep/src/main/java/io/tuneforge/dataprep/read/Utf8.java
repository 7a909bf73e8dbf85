package io.tuneforge.dataprep.read;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding of one record ({@link CodingErrorAction#REPORT}): a record with a malformed sequence is
 * rejected as a whole, the file goes on. {@link #decode} returns null and {@link #error} says where and what.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** Outcome of decoding one record: the text, or the offset and bytes of the first malformed sequence. */
    public record Decoded(String text, int errorOffset, String errorBytes) {

        public boolean ok() {
            return text != null;
        }
    }

    public static Decoded decode(byte[] bytes) {
        // Pure ASCII is the common case and needs no decoder.
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new Decoded(new String(bytes, StandardCharsets.ISO_8859_1), -1, null);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            StringBuilder hex = new StringBuilder();
            for (int i = at; i < Math.min(bytes.length, at + Math.max(result.length(), 1)); i++) {
                hex.append(hex.length() > 0 ? " " : "").append(String.format("%02X", bytes[i] & 0xff));
            }
            return new Decoded(null, at, hex.toString());
        }
        out.flip();
        return new Decoded(out.toString(), -1, null);
    }

    /** The bytes as text with every malformed sequence replaced by U+FFFD, for {@code rejected.jsonl}. */
    public static String lossy(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
