package io.tuneforge.bench.suite;

import java.util.List;

/**
 * What one section of the suite found: its Markdown (what it measured, the config, the table, the commands) and
 * the lines it adds to the summary.
 */
public record SectionReport(String title, String markdown, List<SummaryFigure> figures) {

    public SectionReport {
        figures = List.copyOf(figures);
    }
}
