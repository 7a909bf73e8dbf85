package io.tuneforge.tuning.generate;

import io.tuneforge.tuning.tokenizer.TextTokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Stop strings checked on the decoded tail of a row, not on token ids: a stop string may span
 * several tokens, and one token may hold it together with other text.
 *
 * <p>The tail is the last (longest stop string in UTF-8 bytes + 2) tokens. Every token decodes to
 * at least one byte, so the tail covers any stop string that ends in the newest token; the two
 * extra tokens absorb a partial character or a decoder's dropped leading space at the tail's
 * start. Special tokens are kept in the tail's text, so {@code "<|im_end|>"} works as a stop string.
 */
final class StopStrings {

    private final List<String> stops;
    private final int windowTokens;

    StopStrings(List<String> stops) {
        this.stops = List.copyOf(stops);
        int longest = 0;
        for (String stop : stops) {
            longest = Math.max(longest, stop.getBytes(StandardCharsets.UTF_8).length);
        }
        this.windowTokens = longest + 2;
    }

    boolean isEmpty() {
        return stops.isEmpty();
    }

    int windowTokens() {
        return windowTokens;
    }

    /** Whether the text of the last tokens of {@code ids[0, length)} contains a stop string. */
    boolean matchesTail(TextTokenizer tokenizer, long[] ids, int length) {
        if (stops.isEmpty() || length == 0) {
            return false;
        }
        long[] tail = Arrays.copyOfRange(ids, Math.max(0, length - windowTokens), length);
        String text = tokenizer.decode(tail, false);
        for (String stop : stops) {
            if (text.contains(stop)) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} up to the earliest stop string in it (all of it when none occurs). */
    String cut(String text) {
        int end = text.length();
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return text.substring(0, end);
    }
}
