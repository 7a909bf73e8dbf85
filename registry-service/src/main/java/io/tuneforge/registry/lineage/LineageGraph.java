package io.tuneforge.registry.lineage;

import java.util.List;

/**
 * Lineage as a graph: dataset version → run → model version → evaluation, with augmented dataset versions linked to
 * the version they were derived from.
 *
 * @param nodes     every node, inputs before outputs where the walk allows
 * @param edges     every edge between listed nodes
 * @param truncated true when the walk stopped at {@link LineageService#MAX_NODES} nodes
 */
public record LineageGraph(List<LineageNode> nodes, List<LineageEdge> edges, boolean truncated) {
}
