package io.tuneforge.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tuneforge.contracts.Json;
import io.tuneforge.tuning.chat.ChatTemplate;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge eval}: the base model against base + adapter on a JSONL eval file (instruction, conversation
 * or preference records), greedy by default. Prints the metrics table and writes {@code report.json} and
 * {@code samples.jsonl} to {@code --output}. Without {@code --adapter} the base model is evaluated alone.
 * The adapter is switched off for the base side and on for the tuned side of ONE loaded model.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model (and a LoRA adapter over it) on a JSONL eval file: ROUGE, BLEU, exact match,"
                + " perplexity, reward accuracy.")
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face base model directory.")
    Path model;

    @Option(names = "--adapter", paramLabel = "DIR", description = "PEFT LoRA adapter directory to compare against.")
    Path adapter;

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "JSONL eval records: instruction/output, messages, or prompt/chosen/rejected.")
    Path dataset;

    @Option(names = "--metrics", split = ",", paramLabel = "NAME",
            description = "Comma-separated: rougeL, rouge1, rouge2, bleu, exactMatch, perplexity, rewardAccuracy."
                    + " Default: rougeL,bleu,perplexity.")
    List<String> metrics = List.of("rougeL", "bleu", "perplexity");

    @Option(names = "--max-samples", defaultValue = "200", description = "Default: ${DEFAULT-VALUE}.")
    int maxSamples;

    @Option(names = "--max-new-tokens", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--batch-size", defaultValue = "4", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--max-seq-length", defaultValue = "1024",
            description = "Longest prompt + reference when scoring. Default: ${DEFAULT-VALUE}.")
    int maxSeqLength;

    @Option(names = "--output", defaultValue = "eval-output", paramLabel = "DIR",
            description = "Where report.json and samples.jsonl go. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(dataset)) {
            throw new IllegalArgumentException("--dataset " + dataset + " is not a file; expected a JSONL file of eval"
                    + " records");
        }
        List<MetricName> names = MetricName.parse(metrics);
        EvalOptions options = new EvalOptions(names, maxSamples, GenerationConfig.greedy(maxNewTokens), batchSize,
                maxSeqLength);
        ObjectMapper json = Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
        long t0 = System.nanoTime();
        try (LlamaModel llama = LlamaModel.load(model, DeviceSettings.auto());
             LoraAdapter lora = adapter != null ? LoraAdapter.load(adapter, llama) : null;
             TextTokenizer tokenizer = TextTokenizer.load(model)) {
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            ModelVariant base = lora != null ? ModelVariant.adapterDisabled("base", lora) : ModelVariant.of("base", llama);
            ModelVariant tuned = lora != null ? ModelVariant.adapterEnabled("tuned", lora) : null;
            EvaluationResult result;
            Files.createDirectories(output);
            try (BufferedReader in = Files.newBufferedReader(dataset, StandardCharsets.UTF_8);
                 SamplesJsonl samples = new SamplesJsonl(output.resolve("samples.jsonl"), Json.mapper())) {
                result = new ComparisonEvaluator(tokenizer, ChatTemplate.of(tokenizer), options)
                        .run(in, base, tuned, samples);
            }
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("path", dataset.toAbsolutePath().toString());
            EvaluationReport report = EvaluationReport.of(null, null, model.toAbsolutePath().toString(),
                    adapter == null ? null : adapter.toAbsolutePath().toString(), null, source, options, result,
                    loadSeconds);
            json.writeValue(output.resolve("report.json").toFile(), report);
            var out = spec.commandLine().getOut();
            out.print(MetricsTable.render(result.metrics()));
            out.printf("%d samples evaluated, %d skipped; %.1f s; report: %s%n", result.samples(), result.skipped(),
                    result.seconds().get("total"), output.resolve("report.json"));
            result.skippedReasons().forEach(r -> spec.commandLine().getErr().println("skipped " + r));
            out.flush();
            if (result.samples() == 0) {
                throw new IllegalArgumentException("no record of " + dataset + " could be evaluated (" + result.skipped()
                        + " skipped); see the reasons above");
            }
        }
        return 0;
    }
}
