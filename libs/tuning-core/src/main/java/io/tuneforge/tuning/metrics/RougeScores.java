package io.tuneforge.tuning.metrics;

/** ROUGE-1, ROUGE-2 and ROUGE-L of one prediction against its reference. */
public record RougeScores(PrfScore rouge1, PrfScore rouge2, PrfScore rougeL) {
}
