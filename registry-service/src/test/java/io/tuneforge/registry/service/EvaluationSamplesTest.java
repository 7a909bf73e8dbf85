package io.tuneforge.registry.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The lines of samples.jsonl as the evaluation page shows them. */
class EvaluationSamplesTest {

    @Test
    void readsChatPromptsOutputsAndPerSampleScores() {
        EvaluationSample s = EvaluationSamples.parse(3, "{\"prompt\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"}],\"reference\":\"Hello\",\"base\":{\"output\":\"Hi there, I am\"},"
                + "\"tuned\":\"Hello\",\"metrics\":{\"rougeL\":{\"base\":0.25,\"tuned\":1.0}},\"unknown\":1}");
        assertEquals(3, s.index());
        assertEquals(4, s.number());
        assertEquals("system: Be brief.\nuser: Hi", s.prompt());
        assertEquals("Hello", s.reference());
        assertEquals("Hi there, I am", s.base());
        assertEquals("Hello", s.tuned());
        assertEquals("0.2500", s.metrics().get("rougeL.base"));
        assertEquals("1.000", s.metrics().get("rougeL.tuned"));
    }

    @Test
    void acceptsTheOtherCommonFieldNamesAndSkipsLinesThatAreNotObjects() {
        EvaluationSample s = EvaluationSamples.parse(0, "{\"instruction\":\"Sum\",\"expected\":\"2\","
                + "\"base_output\":\"3\",\"tunedOutput\":\"2\"}");
        assertEquals("Sum", s.prompt());
        assertEquals("2", s.reference());
        assertEquals("3", s.base());
        assertEquals("2", s.tuned());
        assertNull(EvaluationSamples.parse(0, "not json"));
        assertNull(EvaluationSamples.parse(0, "[1,2]"));
    }
}
