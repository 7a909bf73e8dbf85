package io.tuneforge.dataprep.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.dataprep.Stage;
import io.tuneforge.dataprep.clean.CleaningRule;
import io.tuneforge.dataprep.format.Spelling;
import io.tuneforge.dataprep.manifest.LanguageMix;
import io.tuneforge.dataprep.manifest.TokenHistogram;
import io.tuneforge.dataprep.validate.Reason;
import io.tuneforge.dataprep.validate.ReasonCode;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Counts of one run, kept by the in-order step (so they do not depend on the thread count). */
public final class RunStatistics {

    private long input;
    private long rejected;
    private final long[] rejectedAtStage = new long[Stage.values().length];
    private final long[] byReason = new long[ReasonCode.values().length];
    private final Map<Spelling, Long> spellings = new EnumMap<>(Spelling.class);
    private final long[] cleaningChanges = new long[CleaningRule.values().length];
    private final long[] cleaningRecords = new long[CleaningRule.values().length];
    private long cleaned;
    private long kept;
    private final TokenHistogram tokens = new TokenHistogram();
    private final LanguageMix languages = new LanguageMix();

    void input() {
        input++;
    }

    /** A rejected record: counted at the stage of its first reason, and once under each of its reason codes. */
    void rejected(List<Reason> reasons) {
        rejected++;
        rejectedAtStage[reasons.get(0).code().stage().ordinal()]++;
        Set<ReasonCode> codes = EnumSet.noneOf(ReasonCode.class);
        for (Reason r : reasons) {
            codes.add(r.code());
        }
        for (ReasonCode c : codes) {
            byReason[c.ordinal()]++;
        }
    }

    void spelling(Spelling spelling) {
        if (spelling != null) {
            spellings.merge(spelling, 1L, Long::sum);
        }
    }

    void cleaning(int[] changes) {
        if (changes == null) {
            return;
        }
        cleaned++;
        for (int i = 0; i < changes.length; i++) {
            if (changes[i] > 0) {
                cleaningChanges[i] += changes[i];
                cleaningRecords[i]++;
            }
        }
    }

    void kept(int tokenCount, long[] letters) {
        kept++;
        tokens.add(tokenCount);
        languages.add(letters);
    }

    public long inputRecords() {
        return input;
    }

    public long rejectedRecords() {
        return rejected;
    }

    public long keptRecords() {
        return kept;
    }

    public long rejectedAt(Stage stage) {
        return rejectedAtStage[stage.ordinal()];
    }

    /** Rejected records per reason code (wire names), only codes that occurred, in code order. */
    public Map<String, Long> rejectedByReason() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (ReasonCode c : ReasonCode.values()) {
            if (byReason[c.ordinal()] > 0) {
                m.put(c.wireName(), byReason[c.ordinal()]);
            }
        }
        return m;
    }

    /** Changes per cleaning rule: {rule: [records changed, changes]}, every rule listed. */
    public Map<CleaningRule, long[]> cleaning() {
        Map<CleaningRule, long[]> m = new EnumMap<>(CleaningRule.class);
        for (CleaningRule r : CleaningRule.values()) {
            m.put(r, new long[] {cleaningRecords[r.ordinal()], cleaningChanges[r.ordinal()]});
        }
        return m;
    }

    public Map<Spelling, Long> spellings() {
        return new EnumMap<>(spellings);
    }

    public TokenHistogram tokens() {
        return tokens;
    }

    /** {"stage", "in", "out", "rejected"} per stage, in stage order. */
    ArrayNode stagesJson() {
        ArrayNode stages = JsonNodeFactory.instance.arrayNode();
        long in = input;
        for (Stage s : Stage.values()) {
            long dropped = rejectedAtStage[s.ordinal()];
            ObjectNode o = stages.addObject();
            o.put("stage", s.wireName());
            o.put("in", in);
            o.put("out", in - dropped);
            o.put("rejected", dropped);
            in -= dropped;
        }
        return stages;
    }

    ObjectNode cleaningJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("recordsCleaned", cleaned);
        ObjectNode rules = o.putObject("rules");
        for (CleaningRule r : CleaningRule.values()) {
            ObjectNode rule = rules.putObject(r.wireName());
            rule.put("records", cleaningRecords[r.ordinal()]);
            rule.put("changes", cleaningChanges[r.ordinal()]);
            rule.put("unit", r.unit());
        }
        return o;
    }

    ObjectNode spellingsJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        spellings.forEach((s, n) -> o.put(s.wireName(), n));
        return o;
    }

    ObjectNode languagesJson() {
        return languages.toJson();
    }
}
