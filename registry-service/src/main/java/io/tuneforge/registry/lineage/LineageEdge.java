package io.tuneforge.registry.lineage;

/**
 * A directed edge of a lineage graph, from the input to what was made of it.
 *
 * @param from     node id of the input
 * @param to       node id of the output
 * @param relation derived (dataset version → augmented version), trained (dataset version → run),
 *                 produced (run → model version), evaluated (model version or run → evaluation)
 */
public record LineageEdge(String from, String to, String relation) {
}
