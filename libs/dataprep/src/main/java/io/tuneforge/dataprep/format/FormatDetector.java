package io.tuneforge.dataprep.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.dataprep.PipelineException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Decides a dataset's format by majority of its first records ({@link #add} each of them, then {@link #decide}).
 * Every record of the sample votes with its {@link Spelling#classify shape}; the format with most votes wins (a tie
 * goes to the first of instruction, conversation, preference). Records of the other formats are later rejected as
 * {@code format_mismatch}. When no record of the sample has a known shape, the error names what was found instead.
 */
public final class FormatDetector {

    private static final int EXAMPLES = 3;

    private final Map<Spelling, Integer> spellings = new EnumMap<>(Spelling.class);
    private final Map<String, Integer> unknownFields = new TreeMap<>();
    private final List<String> notObjects = new ArrayList<>();
    private int sampled;
    private int unknownObjects;
    private int notObjectCount;

    /** One record of the sample that parsed as a JSON object. */
    public void add(JsonNode object) {
        sampled++;
        Spelling spelling = Spelling.classify(object);
        if (spelling != null) {
            spellings.merge(spelling, 1, Integer::sum);
            return;
        }
        unknownObjects++;
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            unknownFields.merge(it.next(), 1, Integer::sum);
        }
    }

    /** One record of the sample that is not a JSON object (not JSON, not UTF-8, not an object, a bad CSV row). */
    public void addNotAnObject(long line, String what) {
        sampled++;
        notObjectCount++;
        if (notObjects.size() < EXAMPLES) {
            notObjects.add("line " + line + ": " + what);
        }
    }

    /** Records added so far. */
    public int sampled() {
        return sampled;
    }

    /**
     * The format: {@code given} when not null (the sample is still counted for the manifest), otherwise the majority.
     *
     * @throws PipelineException {@code UNKNOWN_FORMAT} when nothing was given and no sampled record has a known shape
     */
    public FormatDetection decide(DatasetFormat given) throws PipelineException {
        Map<DatasetFormat, Integer> votes = new EnumMap<>(DatasetFormat.class);
        spellings.forEach((spelling, n) -> votes.merge(spelling.format(), n, Integer::sum));
        int unknown = unknownObjects + notObjectCount;
        if (given != null) {
            return new FormatDetection(given, false, sampled, votes, spellings, unknown);
        }
        DatasetFormat best = null;
        for (DatasetFormat f : DatasetFormat.values()) {
            if (votes.getOrDefault(f, 0) > (best == null ? 0 : votes.get(best))) {
                best = f;
            }
        }
        if (best == null) {
            throw new PipelineException(PipelineException.Code.UNKNOWN_FORMAT, describeUnknown());
        }
        return new FormatDetection(best, true, sampled, votes, spellings, unknown);
    }

    private String describeUnknown() {
        StringBuilder s = new StringBuilder("no record among the first ").append(sampled)
                .append(" is in a known format: ");
        List<String> found = new ArrayList<>();
        if (unknownObjects > 0) {
            String fields = unknownFields.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                    .limit(8)
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", "));
            found.add(unknownObjects + " JSON objects with fields " + (fields.isEmpty() ? "(none)" : fields));
        }
        if (notObjectCount > 0) {
            found.add(notObjectCount + " records that are not JSON objects (" + String.join("; ", notObjects) + ")");
        }
        s.append(String.join(" and ", found));
        return s.append(". Expected instruction (instruction + output, or prompt + completion), conversation "
                + "(messages of {role, content}, or ShareGPT conversations of {from, value}) or preference "
                + "(prompt, chosen, rejected) records").toString();
    }

    /** Votes per spelling so far, in spelling order. */
    public Map<Spelling, Integer> spellings() {
        return new LinkedHashMap<>(spellings);
    }
}
