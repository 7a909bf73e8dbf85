package io.tuneforge.tuning.preference;

import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.train.TrainingSetup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * DPO's reference policies of a run, for the training pairs and the eval pairs:
 *
 * <ul>
 *   <li>live: the adapter switched off (LoRA/QLoRA) or a frozen copy of the base model (full) — one object
 *       serves both sets;</li>
 *   <li>precomputed: {@value PrecomputedReference#FILE_NAME} / {@value #EVAL_FILE} from the run directory, or
 *       from the checkpoint being resumed (copied into the run directory), when they match the data; else
 *       computed now with the live reference, stored, and the live reference (a frozen copy) closed at once.</li>
 * </ul>
 *
 * @param train reference for the training pairs
 * @param eval reference for the eval pairs, or null without an eval set
 */
record ReferenceSetup(ReferencePolicy train, ReferencePolicy eval) implements AutoCloseable {

    /** Reference log-probs of the eval pairs, beside {@link PrecomputedReference#FILE_NAME} of the training pairs. */
    static final String EVAL_FILE = "reference_logps_eval.safetensors";

    /**
     * @param adapter the policy's adapter, or null for full fine-tuning
     * @param checkpoint the checkpoint being resumed, or null
     */
    static ReferenceSetup of(TrainingSetup setup, LoraAdapter adapter, boolean precompute, PreferenceDataset trainData,
                             PreferenceDataset evalData, PreferenceCollator collator, Path checkpoint) {
        ReferencePolicy live = adapter != null ? new AdapterOffReference(adapter)
                : FrozenModelReference.load(setup.baseModel(), setup.device());
        if (!precompute) {
            return new ReferenceSetup(live, evalData == null ? null : live);
        }
        try (ReferencePolicy source = live) {
            PrecomputedReference train = precomputed(setup, trainData, PrecomputedReference.FILE_NAME, source,
                    collator, checkpoint);
            PrecomputedReference eval = evalData == null ? null
                    : precomputed(setup, evalData, EVAL_FILE, source, collator, checkpoint);
            return new ReferenceSetup(train, eval);
        }
    }

    private static PrecomputedReference precomputed(TrainingSetup setup, PreferenceDataset data, String fileName,
                                                    ReferencePolicy source, PreferenceCollator collator,
                                                    Path checkpoint) {
        Path file = setup.outputDir().resolve(fileName);
        for (Path candidate : checkpoint == null ? List.of(file) : List.of(file, checkpoint.resolve(fileName))) {
            if (Files.isRegularFile(candidate)) {
                PrecomputedReference stored = PrecomputedReference.load(candidate, data);
                if (!candidate.equals(file)) {
                    stored.save(file);
                }
                return stored;
            }
        }
        PrecomputedReference computed = PrecomputedReference.compute(data, source, collator,
                setup.request().hyperparameters().batchSize(), setup.device().device());
        computed.save(file);
        return computed;
    }

    /** The files a checkpoint carries along (those that exist in the run directory). */
    static List<String> fileNames() {
        return List.of(PrecomputedReference.FILE_NAME, EVAL_FILE);
    }

    /** Closes the live reference (a frozen copy's weights); precomputed ones hold nothing to close. */
    @Override
    public void close() {
        train.close();
    }
}
