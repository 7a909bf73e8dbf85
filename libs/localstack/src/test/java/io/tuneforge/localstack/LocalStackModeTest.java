package io.tuneforge.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuneforge.localstack.containers.Docker;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class LocalStackModeTest {

    @Test
    void parsesTheThreeNamesInAnyCase() {
        assertEquals(LocalStackMode.EMBEDDED, LocalStackMode.parse("embedded"));
        assertEquals(LocalStackMode.CONTAINERS, LocalStackMode.parse(" Containers "));
        assertEquals(LocalStackMode.AUTO, LocalStackMode.parse("AUTO"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalStackMode.parse("docker"));
        assertTrue(e.getMessage().contains("'docker'") && e.getMessage().contains("embedded, containers or auto"),
                e.getMessage());
    }

    @Test
    void autoFollowsDockerAndEmbeddedNeverAsks() {
        assertEquals(LocalStackMode.EMBEDDED, LocalStackMode.EMBEDDED.resolve());
        assertEquals(Docker.isAvailable() ? LocalStackMode.CONTAINERS : LocalStackMode.EMBEDDED,
                LocalStackMode.AUTO.resolve());
    }

    @Test
    void containersWithoutDockerSaysSo() {
        Assumptions.assumeFalse(Docker.isAvailable(), "a Docker engine answers here");
        LocalStackException e = assertThrows(LocalStackException.class, LocalStackMode.CONTAINERS::resolve);
        assertTrue(e.getMessage().contains("no Docker engine"), e.getMessage());
    }

    @Test
    void componentListsParse() {
        assertEquals(java.util.EnumSet.of(Component.KAFKA, Component.POSTGRES), Component.parseList("postgres, kafka"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Component.parseList("kafka,redis"));
        assertTrue(e.getMessage().contains("'redis'"), e.getMessage());
    }
}
