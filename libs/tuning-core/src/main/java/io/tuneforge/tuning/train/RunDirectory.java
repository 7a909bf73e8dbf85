package io.tuneforge.tuning.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.weights.SafetensorsReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link TrainingSession} writes into its output directory and reads back: checkpoints in
 * {@link Checkpoint}'s layout (the adapter (PEFT) or the full weights, optimizer, scheduler, RNG, data position,
 * trainer state, training args, plus the run files a recipe carries along), the final {@code adapter/} or
 * {@code model/}, a full fine-tune's weights on resume, and {@code training_args.json}.
 */
final class RunDirectory {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunDirectory() {
    }

    /**
     * Writes {@code OUTPUT/checkpoints/step-{globalStep}} atomically, with a copy of each of {@code carried} that
     * exists in OUTPUT.
     */
    static Path writeCheckpoint(TrainingSession s, List<String> carried) {
        TrainingSetup setup = s.setup();
        TrainingRequest request = setup.request();
        TrainingPlan plan = s.plan();
        long step = s.globalStep();
        TrainingPlan.Slice next = step < plan.totalSteps() ? plan.step(step) : null;
        Checkpoint.DataPosition position = new Checkpoint.DataPosition(next == null ? plan.epochs() : next.epoch(),
                next == null ? 0 : next.firstMicroBatch(), plan.datasetSize(), plan.seed());
        return Checkpoint.write(setup.outputDir(), step, tmp -> {
            if (s.adapter() != null) {
                s.adapter().save(tmp.resolve(Checkpoint.ADAPTER_DIR), request.baseModel());
            } else {
                FullModelFiles.writeWeights(setup.baseModel(), s.parameters().master(),
                        tmp.resolve(Checkpoint.MODEL_DIR));
            }
            s.optimizer().save(tmp.resolve(Checkpoint.OPTIMIZER_FILE));
            Checkpoint.writeScheduler(tmp, s.schedule(), step);
            Checkpoint.writeRng(tmp, request.hyperparameters().seed(), step);
            Checkpoint.writeDataPosition(tmp, position);
            s.state().write(tmp.resolve(Checkpoint.TRAINER_STATE_FILE));
            writeArgs(tmp.resolve(Checkpoint.ARGS_FILE), request);
            for (String name : carried) {
                Path stored = setup.outputDir().resolve(name);
                if (Files.isRegularFile(stored)) {
                    Files.copy(stored, tmp.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        });
    }

    /** {@code OUTPUT/adapter} (PEFT) or {@code OUTPUT/model} (weights + config + tokenizer files). */
    static Path export(TrainingSetup setup, LoraAdapter adapter, TrainableParameters params) {
        Path out = setup.outputDir();
        if (adapter != null) {
            Path dir = out.resolve(Checkpoint.ADAPTER_DIR);
            adapter.save(dir, setup.request().baseModel());
            return dir;
        }
        return FullModelFiles.export(setup.baseModel(), params.master(), out.resolve(Checkpoint.MODEL_DIR));
    }

    /** Full fine-tuning resume: the checkpoint's weights into the masters and the model. */
    static void loadFullWeights(Path modelDir, TrainableParameters params) {
        try (SafetensorsReader reader = SafetensorsReader.open(modelDir);
             NDManager tmp = NDManager.newBaseManager(params.master().values().iterator().next().getDevice())) {
            List<String> missing = new ArrayList<>();
            for (String name : params.master().keySet()) {
                if (!reader.contains(name)) {
                    missing.add(name);
                    continue;
                }
                params.assign(name, reader.read(name, tmp));
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("checkpoint weights " + modelDir + " lack " + missing
                        + "; resume a full fine-tuning run from its own checkpoint");
            }
        }
        params.syncToModel();
    }

    /** {@code training_args.json}: the request with its defaults filled in and its schema version. */
    static void writeArgs(Path file, TrainingRequest request) throws IOException {
        JsonNode tree = Json.mapper().valueToTree(request);
        ((ObjectNode) tree).put("schemaVersion", request.schemaVersion());
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), tree);
    }
}
