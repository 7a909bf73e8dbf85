package io.tuneforge.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class S3UriTest {

    @Test
    void parsesObjectsPrefixesAndBareBuckets() {
        S3Uri object = S3Uri.parse("s3://tuneforge/runs/r1/adapter/adapter_model.safetensors");
        assertEquals("tuneforge", object.bucket());
        assertEquals("runs/r1/adapter/adapter_model.safetensors", object.key());
        assertFalse(object.isPrefix());
        assertEquals("s3://tuneforge/runs/r1/adapter/adapter_model.safetensors", object.toString());

        S3Uri prefix = S3Uri.parse("s3://tuneforge/models/qwen2.5-0.5b-instruct/");
        assertTrue(prefix.isPrefix());
        assertEquals(S3Uri.of("tuneforge", "models/qwen2.5-0.5b-instruct/config.json"), prefix.resolve("config.json"));

        S3Uri bucket = S3Uri.parse("s3://tuneforge");
        assertEquals("", bucket.key());
        assertEquals("s3://tuneforge/", bucket.toString());
        assertEquals(bucket, S3Uri.parse(bucket.toString()));
    }

    @Test
    void rejectsMalformedUrisNamingTheProblem() {
        assertMessage("http://tuneforge/a", "is not an S3 URI");
        assertMessage("s3://", "has no bucket");
        assertMessage("s3:///key", "has no bucket");
        assertMessage("s3://Tune_Forge/a", "invalid bucket name 'Tune_Forge'");
        assertMessage("s3://tuneforge//a", "empty path segment");
        assertMessage(null, "is not an S3 URI");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> S3Uri.parse("s3://tuneforge/runs/r1/state.json").resolve("x"));
        assertTrue(e.getMessage().contains("names an object"), e.getMessage());
    }

    private static void assertMessage(String uri, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3Uri.parse(uri));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
