package io.tuneforge.bench.suite;

/**
 * One line of the suite's summary: a figure of this run beside its baseline, their ratio and issue 13's target.
 *
 * @param figure   what is measured, with its unit and config ("LoRA training tok/s, 2 threads")
 * @param thisRun  this run's value, formatted
 * @param baseline what it is compared with, formatted, naming it ("PyTorch eager 752"); null when none
 * @param ratio    thisRun / baseline, formatted ("0.94×"); null when none
 * @param target   issue 13's target ("≥ 1.0×"); null when the issue sets none
 * @param met      "yes", "no", or null when there is no target or no figure
 */
public record SummaryFigure(String figure, String thisRun, String baseline, String ratio, String target, String met) {

    /** A figure with a ratio and a target of at least {@code min} (higher is better). */
    public static SummaryFigure atLeast(String figure, double value, String valueFormat, String baselineName,
                                        double baseline, double min) {
        double ratio = value / baseline;
        return new SummaryFigure(figure, Fmt.f(valueFormat, value), baselineName + " " + Fmt.f(valueFormat, baseline),
                Fmt.ratio(ratio), "≥ " + Fmt.f("%.1f", min) + "×", ratio >= min ? "yes" : "no");
    }

    /** A figure with a ratio and a target of at most {@code max} (lower is better). */
    public static SummaryFigure atMost(String figure, double value, String valueFormat, String baselineName,
                                       double baseline, double max) {
        double ratio = value / baseline;
        return new SummaryFigure(figure, Fmt.f(valueFormat, value), baselineName + " " + Fmt.f(valueFormat, baseline),
                Fmt.ratio(ratio), "≤ " + Fmt.f("%.1f", max) + "×", ratio <= max ? "yes" : "no");
    }

    /** A figure with no baseline and no target. */
    public static SummaryFigure plain(String figure, String value) {
        return new SummaryFigure(figure, value, null, null, null, null);
    }

    /** A figure this run could not measure, with the reason in its value cell. */
    public static SummaryFigure missing(String figure, String why, String target) {
        return new SummaryFigure(figure, "not measured: " + why, null, null, target, null);
    }
}
