package io.tuneforge.dataprep;

import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.dataprep.read.InputContainer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineSettingsTest {

    @Test
    void badValuesAreNamedWithTheirRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PipelineSettings.builder()
                .evalRatio(1.5).nearDupThreshold(0).maxTokens(0).convertTo(DatasetFormat.PREFERENCE).build());
        assertTrue(e.getMessage().contains("evalRatio must be at least 0 and below 1, e.g. 0.1, got 1.5"), e.getMessage());
        assertTrue(e.getMessage().contains("nearDupThreshold must be between 0 and 1 (exclusive), e.g. 0.85, got 0.0"));
        assertTrue(e.getMessage().contains("maxTokens must be at least 1, or none, got 0"));
        assertTrue(e.getMessage().contains("convertTo must be instruction or conversation"));
    }

    @Test
    void aServiceCanPassTheSettingsOfAnImportRequest() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("format", "conversation");
        map.put("inputType", "csv");
        map.put("evalCount", 20);
        map.put("seed", 7);
        map.put("redactPii", true);
        map.put("nearDupThreshold", 0.9);
        map.put("columnMapping", Map.of("q", "instruction"));
        PipelineSettings s = PipelineSettingsMap.fromMap(map, PipelineSettings.defaults());
        assertEquals(DatasetFormat.CONVERSATION, s.format());
        assertEquals(InputContainer.CSV, s.inputType());
        assertEquals(20, s.evalCount());
        assertEquals(7, s.seed());
        assertEquals(true, s.redactPii());
        assertEquals(0.9, s.nearDupThreshold());
        assertEquals(Map.of("q", "instruction"), s.columnMapping());
        assertEquals(20, s.describe().get("evalCount"));
    }

    @Test
    void unknownKeysAndWrongTypesAreAllReported() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("evalratio", 0.2);
        map.put("seed", "seven");
        map.put("format", "chat");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineSettingsMap.fromMap(map, PipelineSettings.defaults()));
        assertTrue(e.getMessage().contains("unknown setting 'evalratio'; did you mean 'evalRatio'?"), e.getMessage());
        assertTrue(e.getMessage().contains("seed: expected a number, got seven"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown dataset format 'chat'"), e.getMessage());
    }
}
