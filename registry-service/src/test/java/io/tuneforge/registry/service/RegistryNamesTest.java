package io.tuneforge.registry.service;

import io.tuneforge.registry.rest.ProblemException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alias names and tag keys and values. */
class RegistryNamesTest {

    @Test
    void aliasesAreNamesThatDoNotLookLikeVersions() {
        assertEquals("champion", RegistryNames.alias("champion"));
        assertEquals("ab-test_2", RegistryNames.alias("ab-test_2"));
        for (String bad : new String[]{"", "-x", "a b", "x/y", "a".repeat(101)}) {
            ProblemException e = assertThrows(ProblemException.class, () -> RegistryNames.alias(bad));
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        for (String reserved : new String[]{"latest", "v1", "V12"}) {
            assertTrue(assertThrows(ProblemException.class, () -> RegistryNames.alias(reserved)).getMessage()
                    .contains("reserved"));
        }
    }

    @Test
    void tagKeysAndValuesHaveLimits() {
        assertEquals("mlflow.note: x/y", RegistryNames.tagKey("mlflow.note: x/y"));
        assertThrows(ProblemException.class, () -> RegistryNames.tagKey(" "));
        assertThrows(ProblemException.class, () -> RegistryNames.tagKey("a\nb"));
        assertThrows(ProblemException.class, () -> RegistryNames.tagKey("k".repeat(251)));
        assertEquals("v", RegistryNames.tagValue("k", "v"));
        assertTrue(assertThrows(ProblemException.class, () -> RegistryNames.tagValue("k", "x".repeat(5001)))
                .getMessage().contains("5001 characters"));
        assertTrue(assertThrows(ProblemException.class, () -> RegistryNames.tagValue("k", null)).getMessage()
                .contains("needs a value"));
    }
}
