package io.tuneforge.contracts.training;

import io.tuneforge.contracts.storage.ObjectKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelNamesTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "s3://tuneforge/models/qwen2.5-0.5b-instruct/, qwen2.5-0.5b-instruct-tuned",
            "s3://tuneforge/models/SmolLM2-135M-Instruct, smollm2-135m-instruct-tuned",
            "/home/me/models/Llama 3.2 1B//, llama-3.2-1b-tuned",
            "C:\\models\\Mistral-7B\\, mistral-7b-tuned",
            "build/.tiny, tiny-tuned",
            "tiny, tiny-tuned",
            "NULL, NULL",
            "'  ', NULL",
            "s3://tuneforge/models/.../, NULL",
    })
    void derivesAValidIdFromTheLastPathSegment(String baseModel, String expected) {
        String name = ModelNames.fromBaseModel(baseModel);
        assertEquals(expected, name);
        if (name != null) {
            assertTrue(ObjectKeys.isValidId(name), name);
        }
    }

    @ParameterizedTest
    @CsvSource({"200", "128", "123"})
    void longNamesAreShortenedToFitAnId(int length) {
        String name = ModelNames.fromBaseModel("/models/" + "a".repeat(length));
        assertTrue(ObjectKeys.isValidId(name), name);
        assertTrue(name.endsWith("-tuned"));
    }
}
