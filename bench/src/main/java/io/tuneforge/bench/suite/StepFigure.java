package io.tuneforge.bench.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.util.Optional;

/**
 * One training-step measurement, read from the JSON line that tuning-core's {@code TrainBenchmark} and
 * {@code train_benchmark.py} both print last:
 * {@code {"impl":"java","mode":"lora","ms_per_step":725.0,"tokens_per_second":706.2,"peak_rss_mib":1342}}, and
 * optionally {@code "rss_growth_mib"} (VmRSS after the last measured step minus after the first).
 *
 * @param rssGrowthMib null when the benchmark does not report it
 */
public record StepFigure(String impl, String mode, double msPerStep, double tokensPerSecond, long peakRssMib,
                         Long rssGrowthMib) {

    /** The run's JSON result line, if it printed one. */
    public static Optional<StepFigure> parse(ChildRun run) {
        return run.line(l -> l.startsWith("{\"impl\"")).map(StepFigure::parseLine);
    }

    static StepFigure parseLine(String line) {
        try {
            JsonNode n = Json.mapper().readTree(line);
            for (String field : new String[] {"impl", "mode", "ms_per_step", "tokens_per_second", "peak_rss_mib"}) {
                if (!n.hasNonNull(field)) {
                    throw new IllegalArgumentException("training benchmark result has no '" + field + "': " + line);
                }
            }
            return new StepFigure(n.get("impl").asText(), n.get("mode").asText(), n.get("ms_per_step").asDouble(),
                    n.get("tokens_per_second").asDouble(), n.get("peak_rss_mib").asLong(),
                    n.hasNonNull("rss_growth_mib") ? n.get("rss_growth_mib").asLong() : null);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("training benchmark result is not JSON: " + line, e);
        }
    }
}
