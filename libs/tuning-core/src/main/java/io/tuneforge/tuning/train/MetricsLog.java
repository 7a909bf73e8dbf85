package io.tuneforge.tuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per line, flushed as it happens, so a watcher (or the
 * trainer service uploading {@code runs/{runId}/metrics.jsonl}) sees every step.
 *
 * <pre>
 * {"type":"train","step":3,"totalSteps":20,"epoch":0.3,"loss":5.41,"learningRate":2.0E-4,"gradNorm":1.2,
 *  "tokens":412,"targetTokens":160,"tokensPerSecond":3900.5,"etaSeconds":1.9}
 * {"type":"eval","step":5,"epoch":0.5,"evalLoss":5.2,"evalTokens":96}
 * </pre>
 *
 * A resumed run first drops the lines of steps after its checkpoint (the interrupted run wrote
 * them, the resumed run writes them again), so every step appears once.
 */
public final class MetricsLog implements TrainingCallback, AutoCloseable {

    public static final String FILE_NAME = "metrics.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;

    /**
     * @param keepUpToStep lines of steps after this are dropped from an existing file (0 for a fresh run: the file
     *     is emptied)
     */
    public MetricsLog(Path file, long keepUpToStep) {
        this.file = file;
        try {
            List<String> kept = new ArrayList<>();
            if (keepUpToStep > 0 && Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && stepOf(line) <= keepUpToStep) {
                        kept.add(line);
                    }
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, kept, StandardCharsets.UTF_8);
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private static long stepOf(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node.path("step").asLong(Long.MAX_VALUE);
        } catch (IOException e) {
            return Long.MAX_VALUE; // a torn last line of a killed run: drop it
        }
    }

    @Override
    public void onStep(StepMetrics m) {
        write(trainRecord(m));
    }

    /** The {@code "type":"train"} line of one optimizer step (preference runs add their reward columns to it). */
    public static ObjectNode trainRecord(StepMetrics m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "train");
        o.put("step", m.step());
        o.put("totalSteps", m.totalSteps());
        o.put("epoch", m.epoch());
        o.put("loss", m.loss());
        o.put("learningRate", m.learningRate());
        o.put("gradNorm", m.gradNorm());
        o.put("tokens", m.tokens());
        o.put("targetTokens", m.targetTokens());
        o.put("tokensPerSecond", m.tokensPerSecond());
        o.put("etaSeconds", m.etaSeconds());
        return o;
    }

    @Override
    public void onEvalLoss(long step, double epoch, double evalLoss, long evalTokens) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "eval");
        o.put("step", step);
        o.put("epoch", epoch);
        o.put("evalLoss", evalLoss);
        o.put("evalTokens", evalTokens);
        write(o);
    }

    /** Appends one line and flushes it (also for logs with their own line types, e.g. preference tuning's). */
    public void write(ObjectNode o) {
        try {
            out.write(JSON.writeValueAsString(o));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
