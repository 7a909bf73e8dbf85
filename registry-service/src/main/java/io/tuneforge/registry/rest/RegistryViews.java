package io.tuneforge.registry.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.tuneforge.registry.persistence.EvaluationEntity;
import io.tuneforge.registry.persistence.EvaluationRepository;
import io.tuneforge.registry.persistence.ModelAliasEntity;
import io.tuneforge.registry.persistence.ModelAliasRepository;
import io.tuneforge.registry.persistence.ModelVersionEntity;
import io.tuneforge.registry.persistence.ModelVersionRepository;
import io.tuneforge.registry.persistence.ModelVersionStatus;
import io.tuneforge.registry.persistence.PageResult;
import io.tuneforge.registry.persistence.RegisteredModelEntity;
import io.tuneforge.registry.persistence.RegisteredModelRepository;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunEventRepository;
import io.tuneforge.registry.persistence.RunFilter;
import io.tuneforge.registry.persistence.RunMetricRepository;
import io.tuneforge.registry.persistence.RunRepository;
import io.tuneforge.registry.persistence.TagRepository;
import io.tuneforge.registry.persistence.TagTarget;
import io.tuneforge.registry.service.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The read side shared by the REST API and the web UI: every view, each built in one read transaction. */
@ApplicationScoped
public class RegistryViews {

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final ModelAliasRepository aliases;
    private final TagRepository tags;
    private final RunRepository runs;
    private final RunEventRepository timeline;
    private final RunMetricRepository metrics;
    private final EvaluationRepository evaluations;
    private final ModelRegistry registry;

    public RegistryViews(RegisteredModelRepository models, ModelVersionRepository versions,
                         ModelAliasRepository aliases, TagRepository tags, RunRepository runs,
                         RunEventRepository timeline, RunMetricRepository metrics, EvaluationRepository evaluations,
                         ModelRegistry registry) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
        this.tags = tags;
        this.runs = runs;
        this.timeline = timeline;
        this.metrics = metrics;
        this.evaluations = evaluations;
        this.registry = registry;
    }

    @Transactional
    public PageView<ModelSummaryView> models(String text, String tagKey, String tagValue, int page, int size) {
        PageResult<RegisteredModelEntity> result = models.search(text, tagKey, tagValue, page, size);
        List<String> names = result.items().stream().map(m -> m.name).toList();
        Map<String, Map<String, Integer>> aliasesByModel = new LinkedHashMap<>();
        for (ModelAliasEntity a : aliases.ofModels(names)) {
            aliasesByModel.computeIfAbsent(a.modelName, k -> new TreeMap<>()).put(a.alias, a.version);
        }
        // one query each for the page's version counts and tags, not one per model
        Map<String, long[]> counts = versions.countAndLatest(names);
        Map<String, Map<String, String>> modelTags = tags.tagsOf(TagTarget.MODEL, names);
        return PageView.of(result, m -> {
            long[] countAndLatest = counts.getOrDefault(m.name, new long[]{0, 0});
            return new ModelSummaryView(m.name, m.description, (int) countAndLatest[1], countAndLatest[0],
                    aliasesByModel.getOrDefault(m.name, Map.of()), modelTags.getOrDefault(m.name, Map.of()),
                    m.createdAt, m.updatedAt);
        });
    }

    /** @throws ProblemException 404 for an unknown model */
    @Transactional
    public ModelDetailView model(String name) {
        RegisteredModelEntity m = registry.requireModel(name);
        List<ModelAliasEntity> modelAliases = aliases.ofModel(name);
        Map<String, Integer> aliasMap = new TreeMap<>();
        modelAliases.forEach(a -> aliasMap.put(a.alias, a.version));
        List<ModelVersionEntity> all = versions.versions(name);
        Map<String, EvaluationView> latestEval = latestEvaluations(all);
        Map<String, Map<String, String>> versionTags = new LinkedHashMap<>();
        tags.withKeyPrefix(TagTarget.VERSION, name + "/").forEach(t ->
                versionTags.computeIfAbsent(t.targetKey, k -> new TreeMap<>()).put(t.key, t.value));
        List<ModelVersionView> views = all.stream().map(v -> ModelVersionView.from(v, aliasesOf(modelAliases, v),
                versionTags.getOrDefault(TagTarget.versionKey(name, v.version), Map.of()),
                latestEval.get(v.runId))).toList();
        return new ModelDetailView(m.name, m.description, aliasMap, tags.tags(TagTarget.MODEL, name), views,
                m.createdAt, m.updatedAt);
    }

    @Transactional
    public PageView<ModelVersionView> versions(String modelName, ModelVersionStatus status, String runId, int page,
                                               int size) {
        PageResult<ModelVersionEntity> result = versions.search(modelName, status, runId, page, size);
        Map<String, EvaluationView> latestEval = latestEvaluations(result.items());
        List<ModelAliasEntity> relevant = aliases.ofModels(result.items().stream().map(v -> v.modelName)
                .collect(Collectors.toSet()));
        return PageView.of(result, v -> ModelVersionView.from(v, aliasesOf(relevant, v),
                tags.tags(TagTarget.VERSION, TagTarget.versionKey(v.modelName, v.version)), latestEval.get(v.runId)));
    }

    /** @throws ProblemException 404 for an unknown model or version */
    @Transactional
    public ModelVersionView version(String modelName, int version) {
        registry.requireModel(modelName);
        ModelVersionEntity v = registry.requireVersion(modelName, version);
        return versionView(v);
    }

    /** @throws ProblemException 404 for an unknown model or alias */
    @Transactional
    public ModelVersionView versionByAlias(String modelName, String alias) {
        registry.requireModel(modelName);
        ModelAliasEntity a = aliases.findAlias(modelName, alias).orElseThrow(() -> ProblemException.notFound(
                "Model '" + modelName + "' has no alias '" + alias + "'; its aliases are "
                        + aliases.ofModel(modelName).stream().map(x -> x.alias).toList()));
        return versionView(registry.requireVersion(modelName, a.version));
    }

    /** The model version entity for artifact listing. */
    @Transactional
    public ModelVersionEntity versionEntity(String modelName, int version) {
        registry.requireModel(modelName);
        return registry.requireVersion(modelName, version);
    }

    @Transactional
    public PageView<RunSummaryView> runs(RunFilter filter, int page, int size) {
        return PageView.of(runs.search(filter, page, size), RunSummaryView::from);
    }

    /** @throws ProblemException 404 for an unknown run */
    @Transactional
    public RunDetailView run(String runId) {
        RunEntity run = requireRun(runId);
        Optional<ModelVersionEntity> version = versions.byRun(runId);
        List<EvaluationView> evals = evaluations.ofRun(runId).stream()
                .map(e -> EvaluationView.from(e, version.orElse(null))).toList();
        return RunDetailView.from(run, timeline.timeline(runId), tags.tags(TagTarget.RUN, runId),
                ModelVersionRefView.from(version.orElse(null)), evals);
    }

    /** @throws ProblemException 404 for an unknown run */
    @Transactional
    public List<RunMetricView> series(String runId) {
        requireRun(runId);
        return metrics.series(runId).stream().map(RunMetricView::from).toList();
    }

    /** The run's state now, with the metric point of {@code step} when given; null for an unknown run. */
    @Transactional
    public RunUpdate update(String runId, Long step) {
        RunEntity run = runs.findById(runId);
        if (run == null) {
            return null;
        }
        RunMetricView metric = step == null ? null
                : metrics.atStep(runId, step).map(RunMetricView::from).orElse(null);
        return new RunUpdate(RunSummaryView.from(run), metric);
    }

    /**
     * @param runIds 2 or more run ids, in the order to show them
     * @throws ProblemException 404 naming every unknown id
     */
    @Transactional
    public RunComparisonView compare(List<String> runIds) {
        List<RunEntity> found = runs.byIds(runIds);
        Map<String, RunEntity> byId = found.stream().collect(Collectors.toMap(r -> r.runId, r -> r));
        List<String> unknown = runIds.stream().filter(id -> !byId.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw ProblemException.notFound("No run with id " + unknown.stream().map(id -> "'" + id + "'")
                    .collect(Collectors.joining(", ")) + "; GET /api/runs lists the runs the registry knows");
        }
        Map<String, ModelVersionEntity> versionByRun = versions.byRuns(runIds).stream()
                .collect(Collectors.toMap(v -> v.runId, v -> v));
        Map<String, EvaluationView> latestEval = latestEvaluations(versionByRun.values());
        List<RunComparisonView.Entry> entries = new ArrayList<>();
        Set<String> metricNames = new TreeSet<>();
        for (String id : runIds) {
            RunEntity run = byId.get(id);
            Map<String, Double> finals = new TreeMap<>();
            ModelVersionEntity v = versionByRun.get(id);
            if (v != null) {
                finals.putAll(ModelVersionView.from(v, List.of(), Map.of(), null).metrics());
            }
            EvaluationView eval = latestEval.get(id);
            if (eval == null) {
                eval = evaluations.ofRun(id).stream().findFirst().map(e -> EvaluationView.from(e, null)).orElse(null);
            }
            if (eval != null) {
                eval.metrics().forEach((name, m) -> {
                    if (m.tuned() != null) {
                        finals.put("eval." + name, m.tuned());
                    }
                });
            }
            metricNames.addAll(finals.keySet());
            JsonNode request = JsonColumns.tree(run.request);
            entries.add(new RunComparisonView.Entry(RunSummaryView.from(run), flatten(request), finals,
                    metrics.series(id).stream().map(RunMetricView::from).toList(), request));
        }
        return new RunComparisonView(entries, List.copyOf(metricNames), differing(entries));
    }

    /** @throws ProblemException 404 for an unknown evaluation */
    @Transactional
    public EvaluationView evaluation(String evalId) {
        EvaluationEntity e = evaluations.findByIdOptional(evalId).orElseThrow(() -> ProblemException.notFound(
                "No evaluation with id '" + evalId + "'; GET /api/evaluations lists them"));
        return EvaluationView.from(e, e.runId == null ? null : versions.byRun(e.runId).orElse(null));
    }

    @Transactional
    public PageView<EvaluationView> evaluations(String runId, int page, int size) {
        var query = runId == null
                ? evaluations.findAll(Sort.descending("createdAt").and("evalId"))
                : evaluations.find("runId", Sort.descending("createdAt").and("evalId"),
                runId);
        long total = query.count();
        List<EvaluationEntity> items = query.page(Page.of(page, size)).list();
        Map<String, ModelVersionEntity> versionByRun = versions.byRuns(items.stream().map(e -> e.runId)
                .filter(Objects::nonNull).collect(Collectors.toSet())).stream()
                .collect(Collectors.toMap(v -> v.runId, v -> v));
        return PageView.of(new PageResult<>(items, page, size, total),
                e -> EvaluationView.from(e, versionByRun.get(e.runId)));
    }

    private ModelVersionView versionView(ModelVersionEntity v) {
        Map<String, EvaluationView> latestEval = latestEvaluations(List.of(v));
        return ModelVersionView.from(v, aliasesOf(aliases.ofModel(v.modelName), v),
                tags.tags(TagTarget.VERSION, TagTarget.versionKey(v.modelName, v.version)), latestEval.get(v.runId));
    }

    private RunEntity requireRun(String runId) {
        return runs.findByIdOptional(runId).orElseThrow(() -> ProblemException.notFound(
                "No run with id '" + runId + "'; GET /api/runs lists the runs the registry knows"));
    }

    /** run id → the newest evaluation of that run, for these versions' runs. */
    private Map<String, EvaluationView> latestEvaluations(Collection<ModelVersionEntity> vs) {
        Map<String, ModelVersionEntity> byRun = new LinkedHashMap<>();
        vs.stream().filter(v -> v.runId != null).forEach(v -> byRun.put(v.runId, v));
        Map<String, EvaluationView> latest = new LinkedHashMap<>();
        for (EvaluationEntity e : evaluations.ofRuns(byRun.keySet())) {
            latest.putIfAbsent(e.runId, EvaluationView.from(e, byRun.get(e.runId)));
        }
        return latest;
    }

    private static List<String> aliasesOf(List<ModelAliasEntity> all, ModelVersionEntity v) {
        return all.stream().filter(a -> a.modelName.equals(v.modelName) && a.version == v.version)
                .map(a -> a.alias).sorted().toList();
    }

    /** The request's leaves as dotted paths, e.g. hyperparameters.learningRate → 2.0E-4. */
    static Map<String, String> flatten(JsonNode request) {
        Map<String, String> out = new TreeMap<>();
        flatten("", request, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (prefix.isEmpty() && (e.getKey().equals("runId") || e.getKey().equals("schemaVersion"))) {
                    continue;
                }
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.isValueNode() ? n.asText() : n.toString()));
            out.put(prefix, String.join(", ", parts));
        } else {
            out.put(prefix, node.asText());
        }
    }

    private static List<String> differing(List<RunComparisonView.Entry> entries) {
        Set<String> keys = new TreeSet<>();
        entries.forEach(e -> keys.addAll(e.parameters().keySet()));
        List<String> differ = new ArrayList<>();
        for (String key : keys) {
            Set<String> values = new LinkedHashSet<>();
            entries.forEach(e -> values.add(String.valueOf(e.parameters().get(key))));
            if (values.size() > 1) {
                differ.add(key);
            }
        }
        return differ;
    }
}
