package io.tuneforge.bench.suite;

import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.evaluation.EvaluationCompleted;
import io.tuneforge.contracts.evaluation.MetricComparison;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.DatasetSpec;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingProgress;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingStarted;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The events of {@code runs} whole training runs as trainer-service and eval-service publish them: per run
 * Queued, Started, {@code progressPerRun} × Progress, Completed (training events, key = run id) and one
 * EvaluationCompleted (evaluation events). All runs' events interleave, as concurrent runs' would.
 */
public final class IngestEvents {

    static final String SOURCE = "/tuneforge/bench";

    private IngestEvents() {
    }

    /** Training events the registry records on each run's timeline: Queued, Started, the progress, Completed. */
    public static int trainingEventsPerRun(int progressPerRun) {
        return progressPerRun + 3;
    }

    public static List<EventEnvelope<? extends EventPayload>> of(String runPrefix, int runs, int progressPerRun) {
        List<List<EventPayload>> perRun = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            perRun.add(run(runPrefix + "-" + r, progressPerRun));
        }
        List<EventEnvelope<? extends EventPayload>> out = new ArrayList<>();
        int longest = perRun.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (List<EventPayload> events : perRun) {
                if (i < events.size()) {
                    out.add(EventEnvelope.of(SOURCE, events.get(i)));
                }
            }
        }
        return out;
    }

    static List<EventPayload> run(String runId, int progressPerRun) {
        TrainingRequest request = new TrainingRequest(TrainingRequest.SCHEMA_VERSION, runId, "bench-model",
                "s3://tuneforge/models/tiny-llama/", DatasetSpec.registered("ds-bench", 1), TrainingMethod.SFT,
                AdapterType.LORA, null, null, null, null, null, Map.of("suite", "bench")).withDefaults();
        List<EventPayload> events = new ArrayList<>();
        events.add(TrainingQueued.of(request));
        events.add(new TrainingStarted(1, runId, "cpu", "float32", 2, 1L << 30, progressPerRun, 0, "bench-trainer"));
        for (int s = 1; s <= progressPerRun; s++) {
            double done = s / (double) progressPerRun;
            events.add(new TrainingProgress(1, runId, s, progressPerRun, done, 2.0 - done, null, 2e-4, 1.0, 700,
                    done, (progressPerRun - s) * 0.5));
        }
        events.add(new TrainingCompleted(1, runId, request,
                ArtifactRef.prefix("s3://tuneforge/runs/" + runId + "/adapter/"), null, null, Map.of("trainLoss", 1.0),
                1_000L * progressPerRun, progressPerRun, 0.5 * progressPerRun));
        String evalId = "eval-" + runId;
        events.add(new EvaluationCompleted(1, evalId, runId,
                new ArtifactRef("s3://tuneforge/evals/" + evalId + "/report.json", "e".repeat(64), 300),
                new ArtifactRef("s3://tuneforge/evals/" + evalId + "/samples.jsonl", "f".repeat(64), 900),
                Map.of("rougeL", MetricComparison.of(0.21, 0.34)), 2));
        return events;
    }
}
