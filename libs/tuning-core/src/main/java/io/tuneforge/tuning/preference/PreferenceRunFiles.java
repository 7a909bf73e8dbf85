package io.tuneforge.tuning.preference;

import ai.djl.ndarray.NDManager;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.train.AdamW;
import io.tuneforge.tuning.train.Checkpoint;
import io.tuneforge.tuning.train.FullModelFiles;
import io.tuneforge.tuning.train.LrSchedule;
import io.tuneforge.tuning.train.SftTrainer;
import io.tuneforge.tuning.train.TrainableParameters;
import io.tuneforge.tuning.train.TrainerState;
import io.tuneforge.tuning.train.TrainingPlan;
import io.tuneforge.tuning.train.TrainingSetup;
import io.tuneforge.tuning.weights.SafetensorsReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a preference run writes and reads back, in {@link SftTrainer}'s layout ({@link Checkpoint}): the
 * adapter (PEFT) or the full weights, optimizer, scheduler, RNG, data position, trainer state, training
 * args — plus the precomputed reference log-probs, so a checkpoint resumes without recomputing them.
 */
final class PreferenceRunFiles {

    private PreferenceRunFiles() {
    }

    /** Writes {@code OUTPUT/checkpoints/step-{step}} atomically. */
    static Path writeCheckpoint(TrainingSetup setup, long step, TrainingPlan plan, LoraAdapter adapter,
                                TrainableParameters params, AdamW optimizer, LrSchedule schedule, TrainerState state) {
        TrainingRequest request = setup.request();
        TrainingPlan.Slice next = step < plan.totalSteps() ? plan.step(step) : null;
        Checkpoint.DataPosition position = new Checkpoint.DataPosition(next == null ? plan.epochs() : next.epoch(),
                next == null ? 0 : next.firstMicroBatch(), plan.datasetSize(), plan.seed());
        return Checkpoint.write(setup.outputDir(), step, tmp -> {
            if (adapter != null) {
                adapter.save(tmp.resolve(Checkpoint.ADAPTER_DIR), request.baseModel());
            } else {
                FullModelFiles.writeWeights(setup.baseModel(), params.master(), tmp.resolve(Checkpoint.MODEL_DIR));
            }
            optimizer.save(tmp.resolve(Checkpoint.OPTIMIZER_FILE));
            Checkpoint.writeScheduler(tmp, schedule, step);
            Checkpoint.writeRng(tmp, request.hyperparameters().seed(), step);
            Checkpoint.writeDataPosition(tmp, position);
            state.write(tmp.resolve(Checkpoint.TRAINER_STATE_FILE));
            SftTrainer.writeArgs(tmp.resolve(Checkpoint.ARGS_FILE), request);
            for (String name : ReferenceSetup.fileNames()) {
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
}
