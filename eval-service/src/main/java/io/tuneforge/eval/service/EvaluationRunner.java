package io.tuneforge.eval.service;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.evaluation.EvaluationCompleted;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.eval.config.EvalConfig;
import io.tuneforge.eval.messaging.EvaluationEventPublisher;
import io.tuneforge.eval.storage.ModelFiles;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.NoSuchObjectException;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.StorageException;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.ChatTemplateException;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.generate.GenerationConfig;
import io.tuneforge.tuning.metrics.ComparisonEvaluator;
import io.tuneforge.tuning.metrics.EvalOptions;
import io.tuneforge.tuning.metrics.EvaluationReport;
import io.tuneforge.tuning.metrics.EvaluationResult;
import io.tuneforge.tuning.metrics.MetricName;
import io.tuneforge.tuning.metrics.ModelVariant;
import io.tuneforge.tuning.metrics.SamplesJsonl;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one admitted evaluation, start to end, on the calling thread:
 * <ol>
 *   <li>fetch the base model, the adapter (or full tuned model) into the local cache and load them — an adapter
 *       over ONE loaded base, switched off for the base side and on for the tuned side;</li>
 *   <li>stream {@code datasets/{id}/v{n}/eval.jsonl} through {@link ComparisonEvaluator} (batched greedy
 *       generation with the chat template, at most {@code maxSamples}), samples written to a local file as they
 *       come;</li>
 *   <li>upload {@code evals/{evalId}/samples.jsonl}, then {@code report.json} (the report last: once it exists the
 *       evaluation is done, and a redelivered request changes nothing);</li>
 *   <li>emit {@code EvaluationCompleted}, or {@code EvaluationFailed} naming what failed and what to do.</li>
 * </ol>
 */
@ApplicationScoped
public class EvaluationRunner {

    public static final String MODEL_LOAD_FAILED = "MODEL_LOAD_FAILED";
    public static final String ADAPTER_LOAD_FAILED = "ADAPTER_LOAD_FAILED";
    public static final String EVAL_SPLIT_NOT_FOUND = "EVAL_SPLIT_NOT_FOUND";
    public static final String NO_SAMPLES = "NO_SAMPLES";
    public static final String EVALUATION_ERROR = "EVALUATION_ERROR";

    private static final Logger LOG = Logger.getLogger(EvaluationRunner.class);

    private final ArtifactStore store;
    private final ModelFiles files;
    private final EvalConfig config;
    private final EvaluationEventPublisher events;
    private final EvaluationAdmission admission;

    public EvaluationRunner(ArtifactStore store, ModelFiles files, EvalConfig config, EvaluationEventPublisher events,
                            EvaluationAdmission admission) {
        this.store = store;
        this.files = files;
        this.config = config;
        this.events = events;
        this.admission = admission;
    }

    /** Evaluates {@code plan} (already admitted) and answers it with an event; returns how it ended. */
    public EvaluationStatus run(EvaluationPlan plan) {
        try {
            if (store.exists(ObjectKeys.evalReport(plan.evalId()))) {
                LOG.infof("Evaluation %s already has a report; not running it again", plan.evalId());
                return EvaluationStatus.of(plan.evalId(), EvaluationStatus.SKIPPED);
            }
            return evaluate(plan);
        } catch (Failure f) {
            admission.fail(plan, List.of(new EvaluationProblem(f.code, f.getMessage())));
            return EvaluationStatus.failed(plan.evalId(), f.code, f.getMessage());
        } catch (StorageException e) {
            String message = "The object store failed: " + e.getMessage() + "; send the request again once"
                    + " /q/health/ready reports the object store UP";
            admission.fail(plan, List.of(new EvaluationProblem(EvaluationAdmission.INFRASTRUCTURE_ERROR, message)));
            return EvaluationStatus.failed(plan.evalId(), EvaluationAdmission.INFRASTRUCTURE_ERROR, message);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Evaluation %s failed", plan.evalId());
            String message = "Evaluation failed: " + e + "; the eval-service log has the stack trace";
            admission.fail(plan, List.of(new EvaluationProblem(EVALUATION_ERROR, message)));
            return EvaluationStatus.failed(plan.evalId(), EVALUATION_ERROR, message);
        }
    }

    private EvaluationStatus evaluate(EvaluationPlan plan) {
        long t0 = System.nanoTime();
        EvalOptions options = options(plan);
        String evalKey = ObjectKeys.datasetFile(plan.dataset().datasetId(), plan.dataset().version(),
                ObjectKeys.EVAL_FILE);
        if (!store.exists(evalKey)) {
            throw new Failure(EVAL_SPLIT_NOT_FOUND, "Dataset " + plan.dataset() + " has no eval split: "
                    + store.uri(evalKey) + " does not exist; prepare the dataset with an eval ratio above 0");
        }
        Path baseDir = fetch(plan.baseModel(), "Base model");
        Path adapterDir = plan.adapterUri() == null ? null : fetch(plan.adapterUri(), "Adapter");
        Path tunedDir = plan.tunedModelUri() == null ? null : fetch(plan.tunedModelUri(), "Tuned model");
        DeviceSettings device = DeviceSettings.auto();
        try (LlamaModel base = load(baseDir, plan.baseModel(), "Base model", device);
             TextTokenizer tokenizer = tokenizer(baseDir, plan.baseModel());
             LoraAdapter lora = adapterDir == null ? null : adapter(adapterDir, plan.adapterUri(), base);
             LlamaModel full = tunedDir == null ? null : load(tunedDir, plan.tunedModelUri(), "Tuned model", device)) {
            ChatTemplate template = template(tokenizer, plan.baseModel());
            ModelVariant baseSide = lora != null ? ModelVariant.adapterDisabled("base", lora)
                    : ModelVariant.of("base", base);
            ModelVariant tunedSide = lora != null ? ModelVariant.adapterEnabled("tuned", lora)
                    : full != null ? ModelVariant.of("tuned", full) : null;
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            Path samplesFile = Files.createTempFile("tuneforge-" + plan.evalId() + "-", ".samples.jsonl");
            try {
                EvaluationResult result;
                try (BufferedReader in = new BufferedReader(new InputStreamReader(store.get(evalKey),
                        StandardCharsets.UTF_8));
                     SamplesJsonl samples = new SamplesJsonl(samplesFile, Json.mapper())) {
                    result = new ComparisonEvaluator(tokenizer, template, options).run(in, baseSide, tunedSide,
                            samples);
                }
                if (result.samples() == 0) {
                    throw new Failure(NO_SAMPLES, "No record of " + store.uri(evalKey) + " could be evaluated ("
                            + result.skipped() + " skipped: " + String.join("; ", result.skippedReasons()) + ")");
                }
                return publish(plan, options, result, samplesFile, evalKey, loadSeconds);
            } finally {
                Files.deleteIfExists(samplesFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EvaluationStatus publish(EvaluationPlan plan, EvalOptions options, EvaluationResult result,
                                     Path samplesFile, String evalKey, double loadSeconds) {
        ObjectInfo samples = store.put(ObjectKeys.evalSamples(plan.evalId()), samplesFile);
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("datasetId", plan.dataset().datasetId());
        dataset.put("version", plan.dataset().version());
        dataset.put("uri", store.uri(evalKey).toString());
        EvaluationReport report = EvaluationReport.of(plan.evalId(), plan.runId(), plan.baseModel(), plan.adapterUri(),
                plan.tunedModelUri(), dataset, options, result, loadSeconds);
        ObjectInfo reportInfo = store.putJson(ObjectKeys.evalReport(plan.evalId()), report);
        ArtifactRef reportRef = new ArtifactRef(store.uri(reportInfo.key()).toString(), reportInfo.sha256(),
                reportInfo.size());
        ArtifactRef samplesRef = new ArtifactRef(store.uri(samples.key()).toString(), samples.sha256(),
                samples.size());
        events.publish(new EvaluationCompleted(1, plan.evalId(), plan.runId(), reportRef, samplesRef,
                result.metrics(), result.samples()));
        LOG.infof("Evaluation %s done: %d samples, %s (%.1f s)", plan.evalId(), result.samples(), result.metrics(),
                result.seconds().get("total"));
        return new EvaluationStatus(plan.evalId(), EvaluationStatus.SUCCEEDED, null, null, result.metrics(),
                result.samples(), reportRef.uri(), samplesRef.uri(), java.time.Instant.now());
    }

    private EvalOptions options(EvaluationPlan plan) {
        EvalConfig.Evaluation d = config.evaluation();
        List<MetricName> metrics = plan.metrics() == null || plan.metrics().isEmpty() ? EvalOptions.DEFAULT_METRICS
                : MetricName.parse(plan.metrics());
        int maxSamples = plan.maxSamples() != null ? plan.maxSamples() : d.maxSamples();
        int maxNewTokens = plan.maxNewTokens() != null ? plan.maxNewTokens() : d.maxNewTokens();
        return new EvalOptions(metrics, maxSamples, GenerationConfig.greedy(maxNewTokens), d.batchSize(),
                d.maxSeqLength());
    }

    private Path fetch(String uri, String what) {
        try {
            return files.fetch(uri);
        } catch (NoSuchObjectException e) {
            throw new Failure(what.equals("Adapter") ? EvaluationAdmission.ADAPTER_NOT_FOUND
                    : what.equals("Base model") ? EvaluationAdmission.BASE_MODEL_NOT_FOUND
                    : EvaluationAdmission.MODEL_NOT_FOUND, what + " " + uri + " has no files: " + e.getMessage());
        }
    }

    private static LlamaModel load(Path dir, String uri, String what, DeviceSettings device) {
        try {
            return LlamaModel.load(dir, device);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new Failure(MODEL_LOAD_FAILED, what + " " + uri + " cannot be loaded: " + e.getMessage()
                    + "; it must be a Llama-family Hugging Face directory (config.json, model.safetensors,"
                    + " tokenizer.json, tokenizer_config.json)");
        }
    }

    private static TextTokenizer tokenizer(Path dir, String uri) {
        try {
            return TextTokenizer.load(dir);
        } catch (IOException | RuntimeException e) {
            throw new Failure(MODEL_LOAD_FAILED, "The tokenizer of " + uri + " cannot be loaded: " + e.getMessage());
        }
    }

    private static LoraAdapter adapter(Path dir, String uri, LlamaModel base) {
        try {
            return LoraAdapter.load(dir, base);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new Failure(ADAPTER_LOAD_FAILED, "Adapter " + uri + " cannot be applied to the base model: "
                    + e.getMessage());
        }
    }

    private static ChatTemplate template(TextTokenizer tokenizer, String uri) {
        try {
            return ChatTemplate.of(tokenizer);
        } catch (ChatTemplateException e) {
            throw new Failure(MODEL_LOAD_FAILED, "Base model " + uri + ": " + e.getMessage());
        }
    }

    /** An evaluation that cannot go on, with the code of its EvaluationFailed. */
    private static final class Failure extends RuntimeException {
        final String code;

        Failure(String code, String message) {
            super(message);
            this.code = code;
        }
    }
}
