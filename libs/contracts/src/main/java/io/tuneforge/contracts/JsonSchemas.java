package io.tuneforge.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON Schema (draft 2020-12) files shipped in this jar, for clients, editors and the registry UI. They mirror
 * the Java checks, which remain the authority ({@code TrainingRequests.parse}, the data-service record checks).
 */
public final class JsonSchemas {

    public static final String TRAINING_REQUEST = "schema/training-request.schema.json";
    public static final String INSTRUCTION_RECORD = "schema/instruction-record.schema.json";
    public static final String CONVERSATION_RECORD = "schema/conversation-record.schema.json";
    public static final String PREFERENCE_RECORD = "schema/preference-record.schema.json";

    private JsonSchemas() {
    }

    /** Every schema resource of this jar. */
    public static List<String> all() {
        return List.of(TRAINING_REQUEST, INSTRUCTION_RECORD, CONVERSATION_RECORD, PREFERENCE_RECORD);
    }

    /** The text of one schema resource, e.g. {@link #TRAINING_REQUEST}. */
    public static String read(String resource) {
        try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No schema resource '" + resource + "'; expected one of " + all());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema resource '" + resource + "'", e);
        }
    }
}
