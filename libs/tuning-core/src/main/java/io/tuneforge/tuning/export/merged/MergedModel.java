package io.tuneforge.tuning.export.merged;

import io.tuneforge.tuning.weights.SafetensorsDtype;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link MergedModelExporter#export} wrote.
 *
 * @param directory     the Hugging Face model directory
 * @param files         file names in it, sorted
 * @param bytes         size of all files
 * @param tensorCount   tensors over all shards (no {@code lm_head.weight} when the embeddings are tied)
 * @param weightFiles   the safetensors files (one, or the shards in order)
 * @param dtype         how the weights are stored
 * @param adapterMerged whether an adapter was merged (false: the base model re-written)
 * @param seconds       wall time of the export
 */
public record MergedModel(Path directory, List<String> files, long bytes, int tensorCount, List<String> weightFiles,
                          SafetensorsDtype dtype, boolean adapterMerged, double seconds) {

    public MergedModel {
        files = List.copyOf(files);
        weightFiles = List.copyOf(weightFiles);
    }
}
