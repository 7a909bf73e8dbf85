package io.tuneforge.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.cli.client.CliRun;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tuneforge train} as a user runs it: a config file in, adapter/model, checkpoints and metrics out. */
class TrainCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void modelAndData() throws Exception {
        TinyModel.write(dir.resolve("tiny"), TinySpec.defaults());
        List<String> train = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            train.add("{\"instruction\": \"c" + i + "?\", \"output\": \"colour " + i + "\"}");
        }
        Files.write(dir.resolve("train.jsonl"), train);
        Files.write(dir.resolve("eval.jsonl"), List.of(
                "{\"messages\": [{\"role\": \"user\", \"content\": \"c1?\"}, {\"role\": \"assistant\", \"content\": \"colour 1\"}]}"));
    }

    @Test
    void yamlLoraConfigTrainsAndWritesAdapterCheckpointsAndMetrics() throws Exception {
        Path config = dir.resolve("lora.yaml");
        Files.writeString(config, String.join("\n",
                "baseModel: tiny            # relative to this file",
                "dataset:",
                "  path: train.jsonl",
                "  evalPath: eval.jsonl",
                "adapter: lora",
                "lora: {r: 4, alpha: 8, dropout: 0.0, targetModules: [q_proj, v_proj]}",
                "hyperparameters:",
                "  epochs: 2",
                "  learningRate: 1e-3",
                "  batchSize: 2",
                "  gradientAccumulation: 1",
                "  maxSeqLength: 64",
                "  checkpointSteps: 2",
                "  evalSteps: 3",
                ""));
        Path out = dir.resolve("out-lora");
        CliRun run = run("train", "--config", config.toString(), "--output", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("trained 6 steps"), run.out());
        assertTrue(run.err().contains("step 1/6 epoch 0.33 loss "), run.err());
        assertTrue(run.err().contains("eval loss "), run.err());
        assertTrue(run.err().contains("LoRA r=4 alpha=8.0 on [q_proj, v_proj]"), run.err());
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_config.json")));
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));
        for (int step : new int[] {2, 4, 6}) {
            assertTrue(Files.isRegularFile(out.resolve("checkpoints/step-" + step + "/trainer_state.json")), "step " + step);
        }
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        JsonNode first = JSON.readTree(lines.get(0));
        for (String key : new String[] {"step", "epoch", "loss", "learningRate", "tokensPerSecond", "gradNorm"}) {
            assertTrue(first.has(key), key + " in " + first);
        }
        assertEquals(2, lines.stream().filter(l -> l.contains("\"evalLoss\"")).count(), "eval at step 3 and at the end");

        Path resumed = dir.resolve("out-resumed");
        CliRun again = run("train", "--config", config.toString(), "--output", resumed.toString(), "--resume-from",
                out.resolve("checkpoints/step-4").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("resuming after step 4"), again.err());
        assertTrue(again.err().contains("step 5/6") && !again.err().contains("step 4/6"), again.err());
        assertTrue(Files.isRegularFile(resumed.resolve("adapter/adapter_model.safetensors")));
    }

    @Test
    void jsonFullFineTuningWritesAStandaloneModel() throws Exception {
        Path config = dir.resolve("full.json");
        Files.writeString(config, "{\"baseModel\": \"tiny\", \"dataset\": {\"path\": \"train.jsonl\"}, \"adapter\": \"none\","
                + " \"hyperparameters\": {\"epochs\": 1, \"learningRate\": 1e-4, \"batchSize\": 3,"
                + " \"gradientAccumulation\": 1, \"scheduler\": \"constant\"}}");
        Path out = dir.resolve("out-full");
        CliRun run = run("train", "--config", config.toString(), "--output", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("full fine-tuning"), run.err());
        assertTrue(run.err().contains("maxSeqLength 2048 is more than the model's 512 positions: examples are cut at 512"),
                run.err());
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "generation_config.json"}) {
            assertTrue(Files.isRegularFile(out.resolve("model").resolve(f)), "model/" + f);
        }
        CliRun forward = run("model", "forward", "--model", out.resolve("model").toString(), "--tokens", "1,2,3");
        assertEquals(0, forward.code(), forward.err());
    }

    @Test
    void printsEveryBadFieldAndExitsWithTwo() throws Exception {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, "{\"baseModel\": \"tiny\", \"dataset\": {\"path\": \"train.jsonl\"},"
                + " \"hyperparameters\": {\"epochs\": 0, \"learningRate\": \"fast\", \"scheduler\": \"cosin\"},"
                + " \"lora\": {\"r\": 0}}");
        CliRun run = run("train", "--config", config.toString(), "--output", dir.resolve("never").toString());
        assertEquals(TrainCommand.INVALID_CONFIG, run.code());
        for (String field : new String[] {"hyperparameters.epochs", "hyperparameters.learningRate",
                "hyperparameters.scheduler", "lora.r"}) {
            assertTrue(run.err().contains("  " + field + ": "), field + " reported in:\n" + run.err());
        }
        assertFalse(Files.exists(dir.resolve("never")), "nothing is written for a config that cannot run");
    }

    @Test
    void dpoConfigTrainsOnPreferencePairs() throws Exception {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pairs.add("{\"prompt\": \"c" + i + "?\", \"chosen\": \"colour " + i + "\", \"rejected\": \"no idea\"}");
        }
        Files.write(dir.resolve("prefs.jsonl"), pairs);
        Path config = dir.resolve("dpo.yml");
        Files.writeString(config, String.join("\n",
                "baseModel: tiny",
                "dataset: {path: prefs.jsonl, evalPath: prefs.jsonl}",
                "method: dpo",
                "adapter: lora",
                "lora: {r: 4, alpha: 8, dropout: 0.0, targetModules: [q_proj, v_proj]}",
                "hyperparameters: {epochs: 2, learningRate: 1e-2, batchSize: 2, gradientAccumulation: 1,"
                        + " beta: 0.1, checkpointSteps: 3, scheduler: constant}   # maxSeqLength: the default 2048",
                ""));
        Path out = dir.resolve("out-dpo");
        CliRun run = run("train", "--config", config.toString(), "--output", out.toString(), "--precompute-reference");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("DPO lora r=4 alpha=8.0 on [q_proj, v_proj] (beta = 0.1), reference: precomputed"),
                run.err());
        assertTrue(run.err().contains("maxSeqLength 2048 is more than the model's"), run.err());
        assertTrue(run.err().contains("data " + dir.resolve("prefs.jsonl") + ": 6 pairs"), run.err());
        assertTrue(run.err().contains("step 1/6 epoch 0.33 loss 0.6931"), "DPO starts at log 2:\n" + run.err());
        assertTrue(run.err().contains("eval rewards/accuracies "), run.err());
        assertTrue(run.out().contains("trained 6 steps") && run.out().contains("last step: rewards/accuracies "), run.out());
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("reference_logps.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/step-3/reference_logps.safetensors")));
        JsonNode first = JSON.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        for (String key : new String[] {"loss", "rewards/chosen", "rewards/rejected", "rewards/accuracies",
                "rewards/margins", "logps/chosen", "logps/rejected"}) {
            assertTrue(first.has(key), key + " in " + first);
        }
    }

    @Test
    void orpoRefusesDpoOnlyOptionsAndSftRefusesPreferenceOptions() throws Exception {
        Path orpo = dir.resolve("orpo.yml");
        Files.writeString(orpo, "baseModel: tiny\ndataset: {path: prefs.jsonl}\nmethod: orpo\n");
        CliRun run = run("train", "--config", orpo.toString(), "--output", dir.resolve("orpo").toString(),
                "--precompute-reference");
        assertEquals(TrainCommand.INVALID_CONFIG, run.code());
        assertTrue(run.err().contains("ORPO has no reference model"), run.err());
        Path sft = dir.resolve("sft.yml");
        Files.writeString(sft, "baseModel: tiny\ndataset: {path: train.jsonl}\n");
        CliRun smoothing = run("train", "--config", sft.toString(), "--output", dir.resolve("sft").toString(),
                "--label-smoothing", "0.1");
        assertEquals(TrainCommand.INVALID_CONFIG, smoothing.code());
        assertTrue(smoothing.err().contains("this config trains method sft"), smoothing.err());
        assertFalse(Files.exists(dir.resolve("orpo")) || Files.exists(dir.resolve("sft")));
    }


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }
}
