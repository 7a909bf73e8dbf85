package io.tuneforge.eval.service;

/** One reason an evaluation cannot run: a machine-readable code and what a person should do. */
public record EvaluationProblem(String code, String message) {
}
