package io.tuneforge.eval.inference;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The text rules of streaming: what is held back because it may start a stop string, and where text is cut. */
class StreamingDecoderTest {

    @Test
    void aTailThatMayStartAStopStringWaits() {
        List<String> stops = List.of("\nUser:", "###");
        assertEquals(0, StreamingDecoder.heldBack("hello", stops));
        assertEquals(1, StreamingDecoder.heldBack("hello\n", stops));
        assertEquals(3, StreamingDecoder.heldBack("hello\nUs", stops));
        assertEquals(2, StreamingDecoder.heldBack("a ##", stops));
        assertEquals(0, StreamingDecoder.heldBack("hello", List.of()));
    }

    @Test
    void textIsCutAtTheEarliestStopString() {
        List<String> stops = List.of("###", "\n\n");
        assertEquals(2, StreamingDecoder.earliestStop("ab\n\ncd###", stops));
        assertEquals(1, StreamingDecoder.earliestStop("a###\n\n", stops));
        assertEquals(-1, StreamingDecoder.earliestStop("abc", stops));
    }
}
