package io.tuneforge.cli.eval;

import io.tuneforge.contracts.evaluation.MetricComparison;

import java.util.Locale;
import java.util.Map;

/**
 * The metrics of an evaluation as a plain-text table, one row per metric:
 * <pre>
 * metric            base       tuned       delta
 * rougeL          3.2000     71.4000    +68.2000
 * perplexity     45.1200      1.8700    -43.2500
 * </pre>
 * A value that was not computed (no tuned model, no preference pairs) prints as {@code -}.
 */
final class MetricsTable {

    private MetricsTable() {
    }

    static String render(Map<String, MetricComparison> metrics) {
        int width = Math.max("metric".length(), metrics.keySet().stream().mapToInt(String::length).max().orElse(0));
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-" + width + "s %12s %12s %12s%n", "metric", "base", "tuned", "delta"));
        metrics.forEach((name, m) -> out.append(String.format(Locale.ROOT, "%-" + width + "s %12s %12s %12s%n", name,
                number(m.base(), false), number(m.tuned(), false), number(m.delta(), true))));
        return out.toString();
    }

    private static String number(Double value, boolean signed) {
        if (value == null) {
            return "-";
        }
        return String.format(Locale.ROOT, signed ? "%+.4f" : "%.4f", value);
    }
}
