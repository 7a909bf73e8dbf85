package io.tuneforge.contracts.event;

import io.tuneforge.contracts.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTypeTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void typeNamesItsAggregateAndTravelsOnThatAggregatesTopic(EventType type) {
        assertTrue(type.type().matches("io\\.tuneforge\\.[a-z]+\\.[a-z-]+"), type.type());
        String aggregate = type.type().split("\\.")[2];
        assertTrue(type.topic().startsWith("tuneforge." + aggregate + "."), type + " on " + type.topic());
        boolean command = type.type().endsWith("requested");
        assertEquals(command, type.topic().endsWith(".commands"), type + " on " + type.topic());
        assertTrue(Topics.all().contains(type.topic()));
        assertSame(type, EventType.fromType(type.type()).orElseThrow());
        assertSame(type, EventType.of(type.payloadClass()));
    }

    @Test
    void typesAndPayloadClassesAreUnique() {
        Set<String> types = new HashSet<>();
        Set<Class<?>> classes = new HashSet<>();
        for (EventType t : EventType.values()) {
            assertTrue(types.add(t.type()), t.type());
            assertTrue(classes.add(t.payloadClass()), t.payloadClass().getName());
        }
    }

    @Test
    void everyTopicCarriesSomeEventAndHasADeadLetterTopic() {
        for (String topic : Topics.all()) {
            assertTrue(Arrays.stream(EventType.values()).anyMatch(t -> t.topic().equals(topic)), topic);
            assertEquals(topic + ".dlq", Topics.dlq(topic));
        }
        assertEquals(List.copyOf(new HashSet<>(Topics.all())).size(), Topics.all().size());
    }

    @Test
    void unknownTypesAndClassesAreReported() {
        assertTrue(EventType.fromType("io.tuneforge.training.exploded").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventType.of(EventPayload.class));
        assertEquals("No event type for payload class io.tuneforge.contracts.event.EventPayload", e.getMessage());
    }
}
