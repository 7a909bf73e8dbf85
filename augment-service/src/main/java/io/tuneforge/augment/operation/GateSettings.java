package io.tuneforge.augment.operation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The quality gate's bounds.
 *
 * @param nearDupThreshold MinHash Jaccard estimate at or above which a rewrite is near-identical to its source
 * @param shingleSize      characters per shingle (the pipeline's, so both judge alike)
 * @param numPermutations  MinHash signature length
 * @param minLengthRatio   least length of a rewrite as a share of its source's (characters)
 * @param maxLengthRatio   most length as a multiple of the source's, plus {@code lengthSlack}
 * @param lengthSlack      characters added to the upper bound
 * @param minScriptShare   least share of letters in the expected language's script
 */
public record GateSettings(double nearDupThreshold, int shingleSize, int numPermutations, double minLengthRatio,
                           double maxLengthRatio, int lengthSlack, double minScriptShare) {

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nearDupThreshold", nearDupThreshold);
        m.put("shingleSize", shingleSize);
        m.put("numPermutations", numPermutations);
        m.put("minLengthRatio", minLengthRatio);
        m.put("maxLengthRatio", maxLengthRatio);
        m.put("lengthSlack", lengthSlack);
        m.put("minScriptShare", minScriptShare);
        return m;
    }
}
