package io.tuneforge.augment.job;

import io.tuneforge.augment.operation.Generation;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generation slots by outcome. {@code slots = accepted + rejected + failed} for the whole and for every operation.
 *
 * @param records          source records worked on
 * @param rejectedByReason gate rejections per reason ({@code near_duplicate}, {@code wrong_language}, ...)
 * @param failedByKind     slots without an answer per failure kind ({@code server_error}, {@code timeout}, ...)
 * @param byOperation      operation → {slots, accepted, rejected, failed}
 */
public record GenerationCounts(long records, long slots, long accepted, long rejected, long failed,
                               Map<String, Long> rejectedByReason, Map<String, Long> failedByKind,
                               Map<String, Map<String, Long>> byOperation) {

    public static final GenerationCounts ZERO = new GenerationCounts(0, 0, 0, 0, 0, Map.of(), Map.of(), Map.of());

    /** The counts of one chunk's generations. */
    public static GenerationCounts of(long records, List<Generation> generations) {
        long accepted = 0;
        long rejected = 0;
        long failed = 0;
        Map<String, Long> reasons = new TreeMap<>();
        Map<String, Long> kinds = new TreeMap<>();
        Map<String, Map<String, Long>> ops = new TreeMap<>();
        for (Generation g : generations) {
            Map<String, Long> op = ops.computeIfAbsent(g.operation(), k -> new TreeMap<>());
            op.merge("slots", 1L, Long::sum);
            op.merge(g.status(), 1L, Long::sum);
            switch (g.status()) {
                case Generation.ACCEPTED -> accepted++;
                case Generation.REJECTED -> {
                    rejected++;
                    reasons.merge(g.reason(), 1L, Long::sum);
                }
                default -> {
                    failed++;
                    kinds.merge(g.reason(), 1L, Long::sum);
                }
            }
        }
        return new GenerationCounts(records, generations.size(), accepted, rejected, failed, reasons, kinds, ops);
    }

    public GenerationCounts plus(GenerationCounts o) {
        Map<String, Long> reasons = new TreeMap<>(rejectedByReason);
        o.rejectedByReason.forEach((k, v) -> reasons.merge(k, v, Long::sum));
        Map<String, Long> kinds = new TreeMap<>(failedByKind);
        o.failedByKind.forEach((k, v) -> kinds.merge(k, v, Long::sum));
        Map<String, Map<String, Long>> ops = new TreeMap<>();
        byOperation.forEach((k, v) -> ops.put(k, new TreeMap<>(v)));
        o.byOperation.forEach((k, v) -> v.forEach((c, n) -> ops.computeIfAbsent(k, x -> new TreeMap<>())
                .merge(c, n, Long::sum)));
        return new GenerationCounts(records + o.records, slots + o.slots, accepted + o.accepted,
                rejected + o.rejected, failed + o.failed, reasons, kinds, ops);
    }
}
