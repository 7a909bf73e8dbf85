package io.tuneforge.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.TuneForgeCli;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.train.SftTrainer;
import io.tuneforge.tuning.train.TrainingSetup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tuneforge eval} on the tiny model before and after a short LoRA fine-tune (SftTrainer, 120 steps on 16
 * memorisable records): on those records the tuned side must be far ahead of the base.
 */
class EvalCommandTest {

    static final String[] COLOURS = {"red", "blue", "green", "black", "white", "pink", "grey", "gold",
            "teal", "navy", "lime", "rose", "sand", "plum", "jade", "ruby"};

    @TempDir
    static Path tmp;

    static Path model;
    static Path adapter;
    static Path records;

    @BeforeAll
    static void fineTune() throws Exception {
        // Weights of std 0.2: LoRA keeps the LM head frozen, and at the default 0.02 it bounds every logit near ±1.3.
        TinySpec d = TinySpec.defaults();
        model = tmp.resolve("tiny");
        TinyModel.write(model, new TinySpec(d.seed(), d.architecture(), d.hiddenSize(), d.numLayers(), d.numHeads(),
                d.numKvHeads(), d.intermediateSize(), d.vocabSize(), d.maxPositionEmbeddings(), d.ropeTheta(),
                d.rmsNormEps(), d.tieWordEmbeddings(), d.ropeScaling(), d.slidingWindow(), 0.2));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < COLOURS.length; i++) {
            lines.add("{\"instruction\": \"c" + i + "?\", \"output\": \"" + COLOURS[i] + "\"}");
        }
        records = Files.write(tmp.resolve("train.jsonl"), lines);
        TrainingRequest request = Json.read("{\"baseModel\": \"" + model + "\", \"dataset\": {\"path\": \"" + records
                + "\"}, \"adapter\": \"lora\", \"lora\": {\"r\": 8, \"alpha\": 16, \"dropout\": 0.05},"
                + " \"hyperparameters\": {\"epochs\": 30, \"learningRate\": 0.01, \"batchSize\": 4,"
                + " \"gradientAccumulation\": 1, \"maxSeqLength\": 64, \"warmupRatio\": 0.05, \"scheduler\": \"cosine\","
                + " \"seed\": 42}}", TrainingRequest.class);
        Path out = tmp.resolve("run");
        try (SftTrainer trainer = SftTrainer.setup(new TrainingSetup(request, model, records, null, out, null,
                DeviceSettings.cpu()))) {
            trainer.train(null, null);
        }
        adapter = out.resolve("adapter");
    }

    @Test
    void tunedModelIsAheadOfTheBaseOnTheTrainingRecords() throws Exception {
        Path output = tmp.resolve("eval");
        String[] printed = new String[1];
        int code = captureStdout(() -> TuneForgeCli.run("eval", "--model", model.toString(), "--adapter",
                adapter.toString(), "--dataset", records.toString(), "--metrics", "rougeL,exactMatch,perplexity,bleu",
                "--max-new-tokens", "8", "--output", output.toString()), printed);

        assertEquals(0, code, printed[0]);
        assertTrue(printed[0].startsWith("metric "), printed[0]);
        assertTrue(printed[0].contains("perplexity") && printed[0].contains("16 samples evaluated"), printed[0]);
        JsonNode report = Json.mapper().readTree(output.resolve("report.json").toFile());
        JsonNode m = report.get("metrics");
        System.out.println(m);
        assertTrue(m.at("/rougeL/tuned").asDouble() > m.at("/rougeL/base").asDouble() + 30, m.toString());
        assertTrue(m.at("/exactMatch/tuned").asDouble() > m.at("/exactMatch/base").asDouble(), m.toString());
        assertTrue(m.at("/perplexity/tuned").asDouble() < 0.5 * m.at("/perplexity/base").asDouble(), m.toString());
        assertEquals(m.at("/rougeL/tuned").asDouble() - m.at("/rougeL/base").asDouble(), m.at("/rougeL/delta")
                .asDouble(), 1e-9);
        assertEquals(16, report.get("samplesEvaluated").asInt());
        assertEquals(adapter.toAbsolutePath().toString(), report.get("adapter").asText());
        assertEquals("greedy", report.at("/settings/decoding").asText());

        List<String> samples = Files.readAllLines(output.resolve("samples.jsonl"));
        assertEquals(16, samples.size());
        JsonNode first = Json.mapper().readTree(samples.get(0));
        assertEquals("red", first.get("reference").asText());
        assertEquals("c0?", first.at("/prompt/0/content").asText());
        assertTrue(first.at("/base/output").isTextual() && first.at("/tuned/output").isTextual(), first.toString());
        assertTrue(first.at("/tuned/referenceNll").asDouble() < first.at("/base/referenceNll").asDouble(),
                first.toString());
    }

    @Test
    void withoutAnAdapterTheBaseIsEvaluatedAlone() throws Exception {
        Path output = tmp.resolve("base-only");
        String[] printed = new String[1];
        int code = captureStdout(() -> TuneForgeCli.run("eval", "--model", model.toString(), "--dataset",
                records.toString(), "--metrics", "rouge1", "--max-samples", "3", "--max-new-tokens", "4", "--output",
                output.toString()), printed);
        assertEquals(0, code, printed[0]);
        JsonNode report = Json.mapper().readTree(output.resolve("report.json").toFile());
        assertEquals(3, report.get("samplesEvaluated").asInt());
        assertTrue(report.at("/metrics/rouge1/tuned").isMissingNode() || report.at("/metrics/rouge1/tuned").isNull());
        assertTrue(printed[0].lines().anyMatch(l -> l.startsWith("rouge1") && l.trim().endsWith("-")), printed[0]);
    }

    @Test
    void anUnknownMetricIsRefusedByName() {
        String[] printed = new String[1];
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = captureStdout(() -> TuneForgeCli.run("eval", "--model", model.toString(), "--dataset",
                    records.toString(), "--metrics", "rougeL,rougeX", "--output", tmp.resolve("x").toString()), printed);
        } finally {
            System.setErr(original);
        }
        assertEquals(1, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("unknown metric 'rougeX'") && message.contains("rewardAccuracy"), message);
    }

    private static int captureStdout(java.util.function.IntSupplier action, String[] printed) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            return action.getAsInt();
        } finally {
            System.setOut(original);
            printed[0] = buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
