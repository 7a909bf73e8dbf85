package io.tuneforge.registry.lineage;

import io.tuneforge.registry.persistence.DatasetVersionEntity;
import io.tuneforge.registry.persistence.DatasetVersionRepository;
import io.tuneforge.registry.persistence.EvaluationEntity;
import io.tuneforge.registry.persistence.EvaluationRepository;
import io.tuneforge.registry.persistence.ModelVersionEntity;
import io.tuneforge.registry.persistence.ModelVersionRepository;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunRepository;
import io.tuneforge.registry.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds lineage graphs from the registry's tables. From a focus it walks
 * <ol>
 *   <li>upstream: model version → its run → the dataset version it trained on → the versions that one was derived
 *       from;</li>
 *   <li>downstream (for dataset versions and runs): dataset version → derived versions and the runs on it → their
 *       model versions;</li>
 *   <li>and attaches the evaluations of every run in the graph, to the run's model version when it has one.</li>
 * </ol>
 */
@ApplicationScoped
public class LineageService {

    /** The walk stops here, so one dataset used by thousands of runs cannot make an unreadable answer. */
    public static final int MAX_NODES = 300;

    private final DatasetVersionRepository datasets;
    private final RunRepository runs;
    private final ModelVersionRepository versions;
    private final EvaluationRepository evaluations;

    public LineageService(DatasetVersionRepository datasets, RunRepository runs, ModelVersionRepository versions,
                          EvaluationRepository evaluations) {
        this.datasets = datasets;
        this.runs = runs;
        this.versions = versions;
        this.evaluations = evaluations;
    }

    /** Every version of the model with where it came from and how it was evaluated. */
    @Transactional
    public LineageGraph ofModel(String modelName) {
        Walk w = new Walk();
        for (ModelVersionEntity v : versions.versions(modelName)) {
            w.upVersion(v);
        }
        return w.finish();
    }

    @Transactional
    public LineageGraph ofVersion(ModelVersionEntity version) {
        Walk w = new Walk();
        w.upVersion(version);
        return w.finish();
    }

    /** @throws ProblemException 404 for an unknown run */
    @Transactional
    public LineageGraph ofRun(String runId) {
        RunEntity run = runs.findById(runId);
        if (run == null) {
            throw ProblemException.notFound("No run with id '" + runId + "'; GET /api/runs lists the runs the"
                    + " registry knows");
        }
        Walk w = new Walk();
        w.upRun(run);
        w.downRun(run);
        return w.finish();
    }

    /** @throws ProblemException 404 for an unknown dataset version */
    @Transactional
    public LineageGraph ofDatasetVersion(String datasetId, int version) {
        DatasetVersionEntity d = datasets.findVersion(datasetId, version).orElseThrow(() -> ProblemException.notFound(
                "Dataset '" + datasetId + "' has no version " + version + "; GET /api/datasets/" + datasetId
                        + "/versions lists its versions"));
        Walk w = new Walk();
        w.upDataset(d);
        w.downDataset(d);
        return w.finish();
    }

    /** One walk: the nodes and edges found so far. */
    private final class Walk {
        private final Map<String, LineageNode> nodes = new LinkedHashMap<>();
        private final Set<LineageEdge> edges = new LinkedHashSet<>();
        private final Set<String> expandedDown = new LinkedHashSet<>();
        private final Map<String, String> versionOfRun = new LinkedHashMap<>();
        private boolean truncated;

        boolean add(LineageNode node) {
            if (nodes.containsKey(node.id())) {
                return false;
            }
            if (nodes.size() >= MAX_NODES) {
                truncated = true;
                return false;
            }
            nodes.put(node.id(), node);
            return true;
        }

        void edge(String from, String to, String relation) {
            if (nodes.containsKey(from) && nodes.containsKey(to)) {
                edges.add(new LineageEdge(from, to, relation));
            }
        }

        void upVersion(ModelVersionEntity v) {
            add(versionNode(v));
            versionOfRun.put(v.runId, versionId(v));
            RunEntity run = v.runId == null ? null : runs.findById(v.runId);
            if (run != null) {
                upRun(run);
                edge(runId(run.runId), versionId(v), "produced");
            }
        }

        void upRun(RunEntity run) {
            if (!add(runNode(run)) && expandedDown.contains("up:" + run.runId)) {
                return;
            }
            expandedDown.add("up:" + run.runId);
            if (run.datasetId != null && run.datasetVersion != null) {
                datasets.findVersion(run.datasetId, run.datasetVersion).ifPresent(d -> {
                    upDataset(d);
                    edge(datasetId(d.datasetId, d.version), runId(run.runId), "trained");
                });
            }
        }

        void upDataset(DatasetVersionEntity d) {
            boolean added = add(datasetNode(d));
            if (!added || d.parentDatasetId == null || d.parentVersion == null) {
                return;
            }
            datasets.findVersion(d.parentDatasetId, d.parentVersion).ifPresent(parent -> {
                upDataset(parent);
                edge(datasetId(parent.datasetId, parent.version), datasetId(d.datasetId, d.version), "derived");
            });
        }

        void downDataset(DatasetVersionEntity d) {
            if (!expandedDown.add("dataset:" + d.datasetId + "/" + d.version)) {
                return;
            }
            add(datasetNode(d));
            String id = datasetId(d.datasetId, d.version);
            for (DatasetVersionEntity child : datasets.list("parentDatasetId = ?1 and parentVersion = ?2",
                    d.datasetId, d.version)) {
                add(datasetNode(child));
                edge(id, datasetId(child.datasetId, child.version), "derived");
                downDataset(child);
            }
            for (RunEntity run : runs.onDatasetVersion(d.datasetId, d.version)) {
                add(runNode(run));
                edge(id, runId(run.runId), "trained");
                downRun(run);
            }
        }

        void downRun(RunEntity run) {
            if (!expandedDown.add("run:" + run.runId)) {
                return;
            }
            versions.byRun(run.runId).ifPresent(v -> {
                add(versionNode(v));
                versionOfRun.put(run.runId, versionId(v));
                edge(runId(run.runId), versionId(v), "produced");
            });
        }

        LineageGraph finish() {
            List<String> runIds = nodes.keySet().stream().filter(k -> k.startsWith("run:"))
                    .map(k -> k.substring(4)).toList();
            for (EvaluationEntity e : evaluations.ofRuns(runIds)) {
                if (add(evaluationNode(e))) {
                    String from = versionOfRun.getOrDefault(e.runId, runId(e.runId));
                    edge(nodes.containsKey(from) ? from : runId(e.runId), evaluationId(e.evalId), "evaluated");
                }
            }
            return new LineageGraph(new ArrayList<>(nodes.values()), new ArrayList<>(edges), truncated);
        }
    }

    static String datasetId(String id, int version) {
        return "dataset:" + id + "/v" + version;
    }

    static String runId(String runId) {
        return "run:" + runId;
    }

    static String versionId(ModelVersionEntity v) {
        return "version:" + v.modelName + "/" + v.version;
    }

    static String evaluationId(String evalId) {
        return "evaluation:" + evalId;
    }

    private static LineageNode datasetNode(DatasetVersionEntity d) {
        return new LineageNode(datasetId(d.datasetId, d.version), LineageNode.DATASET_VERSION,
                d.datasetId + " v" + d.version, null, "/ui/datasets/" + enc(d.datasetId), d.createdAt);
    }

    private static LineageNode runNode(RunEntity r) {
        return new LineageNode(runId(r.runId), LineageNode.RUN, r.runId, r.status.wireName(),
                "/ui/runs/" + enc(r.runId), r.createdAt);
    }

    private static LineageNode versionNode(ModelVersionEntity v) {
        return new LineageNode(versionId(v), LineageNode.MODEL_VERSION, v.modelName + " v" + v.version,
                v.status.name(), "/ui/models/" + enc(v.modelName) + "#v" + v.version, v.createdAt);
    }

    private static LineageNode evaluationNode(EvaluationEntity e) {
        return new LineageNode(evaluationId(e.evalId), LineageNode.EVALUATION, e.evalId, e.status,
                "/ui/evaluations/" + enc(e.evalId), e.createdAt);
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
