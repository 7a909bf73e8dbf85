package io.tuneforge.contracts.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.RecordComponent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadRoundTripTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void writesAndReadsBackEqual(EventType type) {
        EventPayload example = PayloadExamples.of(type);
        assertEquals(type.payloadClass(), example.getClass());
        String json = Json.write(example);
        assertEquals(example, Json.read(json, type.payloadClass()), json);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyFieldOfTheExampleIsSetSoTheRoundTripCoversIt(EventType type) throws Exception {
        EventPayload example = PayloadExamples.of(type);
        for (RecordComponent c : example.getClass().getRecordComponents()) {
            assertNotNull(c.getAccessor().invoke(example), type + " example leaves " + c.getName() + " null");
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void writesSchemaVersionAndNoAggregateIdProperty(EventType type) throws Exception {
        JsonNode tree = Json.mapper().readTree(Json.write(PayloadExamples.of(type)));
        assertTrue(tree.path("schemaVersion").isInt(), type + " written without schemaVersion: " + tree);
        assertEquals(1, tree.get("schemaVersion").asInt());
        assertFalse(tree.has("aggregateId"), "aggregateId is derived, not data: " + tree);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void writesOnlyRecordComponentsNoDerivedProperties(EventType type) throws Exception {
        assertOnlyComponents(type.payloadClass(), Json.mapper().readTree(Json.write(PayloadExamples.of(type))), "");
    }

    private static void assertOnlyComponents(Class<?> type, JsonNode node, String path) {
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            RecordComponent c = java.util.Arrays.stream(type.getRecordComponents())
                    .filter(rc -> rc.getName().equals(name)).findFirst().orElse(null);
            assertNotNull(c, type.getSimpleName() + " writes '" + path + name + "', which is not one of its fields");
            if (c.getType().isRecord() && node.get(name).isObject()) {
                assertOnlyComponents(c.getType(), node.get(name), path + name + ".");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void ignoresUnknownFieldsOnRead(EventType type) throws Exception {
        EventPayload example = PayloadExamples.of(type);
        ObjectNode tree = (ObjectNode) Json.mapper().readTree(Json.write(example));
        tree.put("addedInSchemaVersion2", "something new");
        tree.putObject("nested").put("x", 1);
        assertEquals(example, Json.read(tree.toString(), type.payloadClass()));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void aggregateIdIsTheEventsSubject(EventType type) {
        EventPayload example = PayloadExamples.of(type);
        assertNotNull(example.aggregateId(), type + " has no aggregate id");
        assertFalse(example.aggregateId().isBlank());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void exampleHasEveryRequiredField(EventType type) {
        assertEquals(java.util.List.of(), RequiredFields.missing((Record) PayloadExamples.of(type)));
    }
}
