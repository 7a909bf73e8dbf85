package io.tuneforge.contracts.evaluation;

/** One metric for the base and the tuned model; {@code delta = tuned - base}. */
public record MetricComparison(Double base, Double tuned, Double delta) {

    public static MetricComparison of(Double base, Double tuned) {
        return new MetricComparison(base, tuned, base != null && tuned != null ? tuned - base : null);
    }
}
