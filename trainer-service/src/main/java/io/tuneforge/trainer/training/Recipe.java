package io.tuneforge.trainer.training;

import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.tuning.preference.PreferenceTrainer;
import io.tuneforge.tuning.train.CancellationToken;
import io.tuneforge.tuning.train.SftTrainer;
import io.tuneforge.tuning.train.TrainingCallback;
import io.tuneforge.tuning.train.TrainingResult;
import io.tuneforge.tuning.train.TrainingSetup;

/**
 * The tuning-core recipe a request trains with, behind one face: {@link SftTrainer} for method {@code sft},
 * {@link PreferenceTrainer} for {@code dpo} and {@code orpo}. Both load on {@link #open} (from a checkpoint when
 * the setup names one) and train on the calling thread. Both take adapters lora, qlora (NF4 base) and none.
 */
public final class Recipe implements AutoCloseable {

    private final SftTrainer sft;
    private final PreferenceTrainer preference;

    private Recipe(SftTrainer sft, PreferenceTrainer preference) {
        this.sft = sft;
        this.preference = preference;
    }

    /** Loads the model, data and (when resuming) the checkpoint. */
    public static Recipe open(TrainingSetup setup) {
        if (setup.request().method() == TrainingMethod.SFT) {
            return new Recipe(SftTrainer.setup(setup), null);
        }
        return new Recipe(null, PreferenceTrainer.setup(setup));
    }

    public TrainingResult train(TrainingCallback callback, CancellationToken cancellation) {
        return sft != null ? sft.train(callback, cancellation) : preference.train(callback, cancellation);
    }

    /** Records the training data skipped (each with its line and reason). */
    public int skippedRecords() {
        return sft != null ? sft.trainData().skipped().size() : preference.trainData().skipped().size();
    }

    public int trainRecords() {
        return sft != null ? sft.trainData().size() : preference.trainData().size();
    }

    @Override
    public void close() {
        if (sft != null) {
            sft.close();
        } else {
            preference.close();
        }
    }
}
