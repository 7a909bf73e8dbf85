package io.tuneforge.dataprep.format;

import io.tuneforge.contracts.dataset.DatasetFormat;

import java.util.Map;

/**
 * The dataset's format and how it was decided.
 *
 * @param format    the format of the dataset; records of another format are rejected as format_mismatch
 * @param detected  true when decided by majority of the sample, false when given in the settings
 * @param sampled   records looked at (the first N records of the input)
 * @param votes     records of the sample per format
 * @param spellings records of the sample per spelling (alpaca, sharegpt, ...)
 * @param unknown   records of the sample that are JSON objects of no known shape, or not objects at all
 */
public record FormatDetection(DatasetFormat format, boolean detected, int sampled, Map<DatasetFormat, Integer> votes,
                              Map<Spelling, Integer> spellings, int unknown) {

    /** One line for people: {@code instruction (detected: 995 of 1000 sampled records; alpaca 990, sharegpt 5)}. */
    public String describe() {
        StringBuilder s = new StringBuilder(format.wireName());
        s.append(detected ? " (detected: " + votes.getOrDefault(format, 0) + " of " + sampled + " sampled records"
                : " (given in the settings; " + sampled + " records sampled");
        spellings.forEach((spelling, n) -> s.append("; ").append(spelling.wireName()).append(' ').append(n));
        return s.append(')').toString();
    }
}
