package io.tuneforge.eval.service;

import io.tuneforge.contracts.evaluation.EvaluationFailed;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.EvaluationSettings;
import io.tuneforge.eval.messaging.EvaluationEventPublisher;
import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.S3Uri;
import io.tuneforge.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that everything an evaluation needs is in the object store before any model is loaded: the base model
 * ({@code config.json}), the adapter ({@code adapter_config.json}) or full tuned model ({@code config.json}), and the
 * dataset version ({@code manifest.json}). Missing pieces → one {@code EvaluationFailed} whose message names each and
 * says what to do; {@code errorCode} is that of the first. What passes goes on to {@link EvaluationRunner}. An
 * evaluation whose {@code evals/{evalId}/report.json} exists is done and not checked again.
 */
@ApplicationScoped
public class EvaluationAdmission {

    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    public static final String BASE_MODEL_NOT_FOUND = "BASE_MODEL_NOT_FOUND";
    public static final String ADAPTER_NOT_FOUND = "ADAPTER_NOT_FOUND";
    public static final String MODEL_NOT_FOUND = "MODEL_NOT_FOUND";
    public static final String DATASET_NOT_FOUND = "DATASET_NOT_FOUND";
    public static final String INFRASTRUCTURE_ERROR = "INFRASTRUCTURE_ERROR";

    private static final Logger LOG = Logger.getLogger(EvaluationAdmission.class);

    private final ArtifactStore store;
    private final BucketStores buckets;
    private final EvaluationEventPublisher events;

    public EvaluationAdmission(ArtifactStore store, BucketStores buckets, EvaluationEventPublisher events) {
        this.store = store;
        this.buckets = buckets;
        this.events = events;
    }

    /**
     * Checks {@code plan} and answers a plan that cannot run with one {@code EvaluationFailed}.
     *
     * @return true when the evaluation should run now; false when it failed its checks (answered) or is done already
     */
    public boolean admit(String eventId, EvaluationPlan plan) {
        Verdict verdict = check(plan);
        if (verdict.done()) {
            LOG.infof("Evaluation %s already has a report; event %s changes nothing", plan.evalId(), eventId);
            return false;
        }
        if (!verdict.problems().isEmpty()) {
            fail(plan, verdict.problems());
            return false;
        }
        LOG.infof("Evaluation %s of run %s accepted (event %s): base %s, %s on %s", plan.evalId(), plan.runId(),
                eventId, plan.baseModel(), plan.adapterUri() != null ? "adapter " + plan.adapterUri()
                        : plan.tunedModelUri() != null ? "model " + plan.tunedModelUri() : "no tuned model",
                plan.dataset());
        return true;
    }

    /**
     * What stands in the way of {@code plan}, without answering anything: invalid fields first (then nothing else
     * is checked), else every missing artifact; {@code done} when its report exists already.
     */
    public Verdict check(EvaluationPlan plan) {
        List<EvaluationProblem> problems = new ArrayList<>();
        invalid(plan).forEach(p -> problems.add(new EvaluationProblem(INVALID_REQUEST, p)));
        if (!problems.isEmpty()) {
            return new Verdict(false, problems);
        }
        try {
            if (store.exists(ObjectKeys.evalReport(plan.evalId()))) {
                return new Verdict(true, List.of());
            }
            missing(plan.baseModel(), "config.json", BASE_MODEL_NOT_FOUND, "Base model", problems,
                    "upload it in Hugging Face layout, e.g. with tuneforge models import");
            if (plan.adapterUri() != null) {
                missing(plan.adapterUri(), "adapter_config.json", ADAPTER_NOT_FOUND, "Adapter", problems,
                        "check the run's TrainingCompleted event for the adapter URI");
            }
            if (plan.tunedModelUri() != null) {
                missing(plan.tunedModelUri(), "config.json", MODEL_NOT_FOUND, "Tuned model", problems,
                        "check the run's TrainingCompleted event for the model URI");
            }
            String manifest = ObjectKeys.datasetManifest(plan.dataset().datasetId(), plan.dataset().version());
            if (!store.exists(manifest)) {
                problems.add(new EvaluationProblem(DATASET_NOT_FOUND, "Dataset " + plan.dataset() + " not found: "
                        + store.uri(manifest) + " does not exist; prepare it with data-service"));
            }
        } catch (StorageException e) {
            problems.add(new EvaluationProblem(INFRASTRUCTURE_ERROR, "The object store failed: " + e.getMessage()
                    + "; send the request again once /q/health/ready reports the object store UP"));
        }
        return new Verdict(false, problems);
    }

    /** The outcome of {@link #check}: done already, or the problems (none: it can run). */
    public record Verdict(boolean done, List<EvaluationProblem> problems) {
    }

    private static List<String> invalid(EvaluationPlan plan) {
        List<String> problems = new ArrayList<>();
        if (!ObjectKeys.isValidId(plan.evalId())) {
            problems.add("evalId: expected " + ObjectKeys.ID_RULE + ", got '" + plan.evalId() + "'");
        }
        uri(problems, "baseModel", plan.baseModel());
        if (plan.adapterUri() != null) {
            uri(problems, "adapterUri", plan.adapterUri());
        }
        if (plan.tunedModelUri() != null) {
            uri(problems, "model", plan.tunedModelUri());
        }
        if (plan.adapterUri() == null && plan.tunedModelUri() == null && plan.runId() != null
                && plan.evalId().equals(EvaluationPlan.evalIdOfRun(plan.runId()))) {
            problems.add("run " + plan.runId() + " completed without an adapter or a model: nothing to evaluate");
        }
        if (plan.dataset() == null) {
            problems.add("dataset: expected a registered dataset version to evaluate on; runs on local files are"
                    + " evaluated with tuneforge eval");
        } else if (!ObjectKeys.isValidId(plan.dataset().datasetId()) || plan.dataset().version() < 1) {
            problems.add("dataset: expected a dataset id and a version >= 1, got " + plan.dataset());
        }
        if (plan.maxSamples() != null && plan.maxSamples() < 1) {
            problems.add("maxSamples: expected at least 1, got " + plan.maxSamples());
        }
        if (plan.maxNewTokens() != null && plan.maxNewTokens() < 1) {
            problems.add("maxNewTokens: expected at least 1, got " + plan.maxNewTokens());
        }
        if (plan.metrics() != null) {
            for (int i = 0; i < plan.metrics().size(); i++) {
                if (!EvaluationSettings.KNOWN_METRICS.contains(plan.metrics().get(i))) {
                    problems.add("metrics[" + i + "]: expected one of " + String.join(", ",
                            EvaluationSettings.KNOWN_METRICS) + ", got '" + plan.metrics().get(i) + "'");
                }
            }
        }
        return problems;
    }

    private static void uri(List<String> problems, String field, String value) {
        try {
            S3Uri.parse(value);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
        }
    }

    private void missing(String prefix, String file, String code, String what, List<EvaluationProblem> problems,
                         String todo) {
        S3Uri uri = BucketStores.resolve(prefix, file);
        if (!buckets.exists(uri)) {
            problems.add(new EvaluationProblem(code, what + " " + prefix + " not found: " + uri + " does not exist; "
                    + todo));
        }
    }

    /** Answers {@code plan} with one {@code EvaluationFailed}: the first problem's code, every problem's message. */
    public void fail(EvaluationPlan plan, List<EvaluationProblem> problems) {
        String message = String.join(". ", problems.stream().map(EvaluationProblem::message).toList()) + ".";
        events.publish(new EvaluationFailed(1, plan.evalId(), plan.runId(), problems.get(0).code(), message));
        LOG.infof("Evaluation %s failed (%s): %s", plan.evalId(), problems.get(0).code(), message);
    }
}
