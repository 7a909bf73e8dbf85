package io.tuneforge.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.EvaluationSettings;
import io.tuneforge.contracts.training.ExportSettings;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.contracts.training.QuantizationSettings;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonSchemasTest {

    static final List<String> SCHEMAS = JsonSchemas.all();

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private static JsonNode tree(String json) throws IOException {
        return Json.mapper().readTree(json);
    }

    private static JsonSchema schema(String resource) {
        return FACTORY.getSchema(SchemaLocation.of("classpath:" + resource));
    }

    private static String example(String name) throws IOException {
        try (InputStream in = JsonSchemasTest.class.getResourceAsStream("/examples/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @FieldSource("SCHEMAS")
    void isJsonAndAValidDraft202012Schema(String resource) throws IOException {
        JsonNode schemaTree = tree(JsonSchemas.read(resource));
        assertEquals("https://json-schema.org/draft/2020-12/schema", schemaTree.get("$schema").asText());
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        Set<ValidationMessage> problems = meta.validate(schemaTree);
        assertEquals(Set.of(), problems, resource);
    }

    @Test
    void metaSchemaCheckCanFail() throws IOException {
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertFalse(meta.validate(tree("{\"type\": \"integr\", \"minimum\": \"zero\"}")).isEmpty());
    }

    @ParameterizedTest
    @CsvSource({
            "schema/training-request.schema.json, training-request-full.json",
            "schema/training-request.schema.json, training-request-local.json",
            "schema/training-request.schema.json, training-request-minimal.json",
    })
    void exampleDocumentsValidate(String resource, String example) throws IOException {
        assertEquals(Set.of(), schema(resource).validate(tree(example(example))), example);
    }

    @ParameterizedTest
    @CsvSource({
            "schema/instruction-record.schema.json, instruction.jsonl",
            "schema/conversation-record.schema.json, conversation.jsonl",
            "schema/preference-record.schema.json, preference.jsonl",
    })
    void exampleRecordsValidate(String resource, String example) throws IOException {
        for (String line : example(example).split("\n")) {
            assertEquals(Set.of(), schema(resource).validate(tree(line)), line);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "schema/instruction-record.schema.json  | {\"instruction\": \"x\"}",
            "schema/instruction-record.schema.json  | {\"instruction\": \"  \", \"output\": \"y\"}",
            "schema/conversation-record.schema.json | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"user\", \"content\": \"hi\"}]}",
            "schema/conversation-record.schema.json | {\"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"x\"}]}",
            "schema/preference-record.schema.json   | {\"prompt\": \"p\", \"chosen\": \"c\"}",
            "schema/preference-record.schema.json   | {\"prompt\": 5, \"chosen\": \"c\", \"rejected\": \"r\"}",
    })
    void badRecordsDoNotValidate(String resource, String json) throws IOException {
        assertFalse(schema(resource).validate(tree(json)).isEmpty(), json);
    }

    /** Each of these breaks one rule; the schema and the Java parser must both refuse it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hyperparameters.epochs     | \"three\"",
            "hyperparameters.epochs     | 0",
            "hyperparameters.learningRate | 1.5",
            "hyperparameters.scheduler  | \"cosin\"",
            "hyperparameters.maxSeqLength | 4",
            "method                     | \"ppo\"",
            "adapter                    | \"dora\"",
            "lora.r                     | 2048",
            "lora.dropout               | 1",
            "lora.targetModules         | [\"q_proj\", \"q_proj\"]",
            "lora.targetModules         | [\"qkv\"]",
            "quantization.type          | \"fp4\"",
            "evaluation.metrics         | [\"blue\"]",
            "evaluation.maxSamples      | 0",
            "export.gguf                | \"q4_0\"",
            "dataset.version            | 0",
            "runId                      | \"a/b\"",
            "baseModel                  | \"hf://x/y\"",
            "schemaVersion              | 2",
    })
    void schemaAndParserRefuseTheSameBreakages(String path, String valueJson) throws IOException {
        ObjectNode doc = (ObjectNode) tree(example("training-request-full.json"));
        String[] parts = path.split("\\.");
        ObjectNode parent = parts.length == 1 ? doc : (ObjectNode) doc.get(parts[0]);
        parent.set(parts[parts.length - 1], tree(valueJson));
        assertFalse(schema(JsonSchemas.TRAINING_REQUEST).validate(doc).isEmpty(), "schema accepts " + doc);
        assertFalse(TrainingRequests.parse(doc).errors().isEmpty(), "parser accepts " + doc);
    }

    @Test
    void combinationRulesAreInTheSchemaToo() throws IOException {
        JsonSchema s = schema(JsonSchemas.TRAINING_REQUEST);
        ObjectNode loraWithNone = (ObjectNode) tree(example("training-request-full.json"));
        loraWithNone.put("adapter", "none").remove("quantization");
        assertFalse(s.validate(loraWithNone).isEmpty());
        ObjectNode quantWithLora = (ObjectNode) tree(example("training-request-full.json"));
        quantWithLora.put("adapter", "lora");
        assertFalse(s.validate(quantWithLora).isEmpty());
        ObjectNode both = (ObjectNode) tree(example("training-request-minimal.json"));
        both.putObject("dataset").put("id", "x").put("version", 1).put("path", "t.jsonl");
        assertFalse(s.validate(both).isEmpty());
    }

    @Test
    void enumsInTheSchemaMatchTheJavaConstants() throws IOException {
        JsonNode p = tree(JsonSchemas.read(JsonSchemas.TRAINING_REQUEST)).get("properties");
        assertEquals(names(TrainingMethod.values()), strings(p.at("/method/enum")));
        assertEquals(names(AdapterType.values()), strings(p.at("/adapter/enum")));
        assertEquals(LoraSettings.ALL_TARGETS, strings(p.at("/lora/properties/targetModules/items/enum")));
        assertEquals(QuantizationSettings.TYPES, strings(p.at("/quantization/properties/type/enum")));
        assertEquals(Hyperparameters.SCHEDULERS, strings(p.at("/hyperparameters/properties/scheduler/enum")));
        assertEquals(EvaluationSettings.KNOWN_METRICS, strings(p.at("/evaluation/properties/metrics/items/enum")));
        assertEquals(ExportSettings.GGUF_TYPES, strings(p.at("/export/properties/gguf/enum")));
    }

    @Test
    void readNamesTheKnownSchemasWhenOneIsMissing() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> JsonSchemas.read("schema/nope.json"));
        assertTrue(e.getMessage().startsWith("No schema resource 'schema/nope.json'; expected one of [schema/"));
    }

    private static List<String> strings(JsonNode array) {
        assertTrue(array.isArray(), "not an array: " + array);
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase()).toList();
    }
}
