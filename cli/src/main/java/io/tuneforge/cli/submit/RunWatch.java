package io.tuneforge.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.client.ServiceClient;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.training.TrainingStatus;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Follows one run until it ends, drawing {@code [=======>      ] 12/60  loss 4.1234  3,456 tok/s  ETA 42s  running}.
 * Updates come from the registry's server-sent events ({@code /api/stream/runs?runId=}, one RunUpdate per change);
 * because a stream carries only what its replica consumed and starts after the submit, the run is also read
 * ({@code GET /api/runs/{id}}) at the start and whenever the stream has been quiet for {@code quietMillis}.
 * Off a terminal (CI, a pipe) each change is a line of its own instead of a line redrawn in place.
 */
final class RunWatch {

    private static final int WIDTH = 24;

    private final ServiceClient registry;
    private final String runId;
    private final PrintWriter err;
    private final boolean terminal;
    private final long quietMillis;
    private final long timeoutMillis;
    private final BlockingQueue<JsonNode> updates = new LinkedBlockingQueue<>();
    private String lastLine = "";

    /** @param timeoutMillis how long to follow the run at most; 0 for as long as it takes */
    RunWatch(ServiceClient registry, String runId, PrintWriter err, boolean terminal, long quietMillis,
            long timeoutMillis) {
        this.registry = registry;
        this.runId = runId;
        this.err = err;
        this.terminal = terminal;
        this.quietMillis = quietMillis;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Blocks until the run is succeeded, failed or cancelled; answers its final {@code GET /api/runs/{id}}.
     *
     * @throws TimeoutException when the run has not ended within the timeout (the run itself goes on)
     */
    JsonNode await() throws InterruptedException, TimeoutException {
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        Thread listener = new Thread(this::listen, "run-stream");
        listener.setDaemon(true);
        listener.start();
        try {
            String path = "api/runs/" + ServiceClient.segment(runId);
            JsonNode run = registry.get(path, Map.of());
            JsonNode metric = null;
            while (!ended(run)) {
                draw(run, metric);
                if (deadline != 0 && System.nanoTime() - deadline > 0) {
                    if (terminal) {
                        err.println();
                    }
                    throw new TimeoutException("run " + runId + " is still " + run.path("status").asText("unknown")
                            + " after " + TimeUnit.MILLISECONDS.toSeconds(timeoutMillis) + " s");
                }
                long wait = deadline == 0 ? quietMillis
                        : Math.max(1, Math.min(quietMillis, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                JsonNode update = updates.poll(wait, TimeUnit.MILLISECONDS);
                if (update != null) {
                    run = update.path("run");
                    metric = update.path("metric").isObject() ? update.get("metric") : metric;
                } else {
                    run = registry.get(path, Map.of());
                }
            }
            draw(run, metric);
            if (terminal) {
                err.println();
            }
            return registry.get(path, Map.of());
        } finally {
            listener.interrupt();
        }
    }

    private void listen() {
        try (Stream<String> events = registry.events("api/stream/runs", Map.of("runId", runId))) {
            events.forEach(data -> updates.offer(Json.read(data, JsonNode.class)));
        } catch (RuntimeException e) {
            // the stream is a speed-up: without it the run is read every quietMillis
        }
    }

    static boolean ended(JsonNode run) {
        String s = run.path("status").asText("");
        return !s.isEmpty() && TrainingStatus.fromWire(s).isTerminal();
    }

    private void draw(JsonNode run, JsonNode metric) {
        String line = line(run, metric);
        if (line.equals(lastLine)) {
            return;
        }
        lastLine = line;
        err.print(terminal ? "\r" + line + "  " : line + System.lineSeparator());
        err.flush();
    }

    /** One progress line from a RunSummaryView/RunDetailView and the newest RunMetricView (or null). */
    static String line(JsonNode run, JsonNode metric) {
        long step = run.path("step").asLong(0);
        long total = run.path("totalSteps").asLong(0);
        int done = total <= 0 ? 0 : (int) Math.min(WIDTH, WIDTH * step / total);
        String bar = "=".repeat(Math.max(0, done - 1)) + (done > 0 && done < WIDTH ? ">" : done == WIDTH ? "=" : "")
                + " ".repeat(WIDTH - done);
        StringBuilder s = new StringBuilder("[").append(bar).append("] ").append(step).append('/')
                .append(total <= 0 ? "?" : Long.toString(total));
        if (metric != null && metric.hasNonNull("trainLoss")) {
            s.append(String.format(Locale.ROOT, "  loss %.4f", metric.path("trainLoss").asDouble()));
        }
        if (metric != null && metric.hasNonNull("tokensPerSecond")) {
            s.append(String.format(Locale.ROOT, "  %,.0f tok/s", metric.path("tokensPerSecond").asDouble()));
        }
        if (run.hasNonNull("etaSeconds") && !ended(run)) {
            s.append(String.format(Locale.ROOT, "  ETA %.0fs", run.path("etaSeconds").asDouble()));
        }
        return s.append("  ").append(run.path("status").asText("?")).toString();
    }
}
