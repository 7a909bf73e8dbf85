package io.tuneforge.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.cloudevents.KafkaRecordParts;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.launcher.ServiceProcess;
import io.tuneforge.localstack.LocalStackInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Registry ingestion through the real broker: in-process Kafka, S3Proxy and PostgreSQL (libs/localstack), the
 * packaged registry-service as a child process (libs/launcher's {@code ServiceProcess}, as {@code tuneforge up}
 * starts it), then {@code runs} whole runs' events (see {@link IngestEvents}) published with the contracts codec
 * (CloudEvents binary mode, key = run id). Timed from the first send until the registry's REST API shows every run
 * succeeded with all its training events on its timeline and its evaluation attached. Default 40 runs × 20
 * progress events (1,000 events); {@code --quick} 10 × 8 (120).
 */
public final class RegistryIngestSection {

    private static final Duration INGEST_LIMIT = Duration.ofSeconds(180);

    private final SuiteOptions options;
    private final HttpClient http = HttpClient.newHttpClient();

    public RegistryIngestSection(SuiteOptions options) {
        this.options = options;
    }

    int runs() {
        return options.quick() ? 10 : 40;
    }

    int progressPerRun() {
        return options.quick() ? 8 : 20;
    }

    public SectionReport run(ServiceStack stack) {
        String title = "Registry ingestion through the broker (registry-service, packaged)";
        String figure = Fmt.f("Registry ingestion events/s, %d runs × %d events", runs(),
                IngestEvents.trainingEventsPerRun(progressPerRun()) + 1);
        try {
            return measure(title, figure, stack);
        } catch (RuntimeException | IOException e) {
            return new SectionReport(title, "Not measured: " + e + "\n",
                    List.of(SummaryFigure.missing(figure, e.getClass().getSimpleName() + ": " + e.getMessage(), null)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while measuring registry ingestion", e);
        }
    }

    private SectionReport measure(String title, String figure, ServiceStack stack)
            throws IOException, InterruptedException {
        LocalStackInfo info = stack.info();
        String token = stack.adminToken();
        double loadBefore = Machine.loadAverage();
        long startRegistry = System.nanoTime();
        ServiceProcess registry = stack.service("registry-service", "384m", Map.of());
        double startupSeconds = (System.nanoTime() - startRegistry) / 1e9;
        // Warm-up: the consumers join their groups and the JIT sees the handlers before the clock starts.
        List<EventEnvelope<? extends EventPayload>> warmUp =
                IngestEvents.of("warm-" + UUID.randomUUID().toString().substring(0, 8), 2, progressPerRun());
        publish(info, warmUp);
        if (awaitRecorded(registry, token, warmUp) < 2) {
            throw new IllegalStateException("the registry did not record the 2 warm-up runs within "
                    + INGEST_LIMIT.toSeconds() + " s; see " + registry.logFile());
        }
        List<EventEnvelope<? extends EventPayload>> events =
                IngestEvents.of("bench-" + UUID.randomUUID().toString().substring(0, 8), runs(), progressPerRun());
        long t0 = System.nanoTime();
        publish(info, events);
        double publishSeconds = (System.nanoTime() - t0) / 1e9;
        int recorded = awaitRecorded(registry, token, events);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double loadAfter = Machine.loadAverage();
        if (recorded < runs()) {
            throw new IllegalStateException("the registry recorded only " + recorded + " of " + runs()
                    + " runs within " + INGEST_LIMIT.toSeconds() + " s; see " + registry.logFile());
        }
        double perSecond = events.size() / seconds;
        Table table = new Table("runs:", "events:", "publish s:", "until recorded s:", "events/s:",
                "registry start s:", "load");
        table.row(runs(), events.size(), Fmt.f("%.2f", publishSeconds), Fmt.f("%.2f", seconds),
                Fmt.f("%.0f", perSecond), Fmt.f("%.1f", startupSeconds),
                Machine.formatLoad(loadBefore) + " → " + Machine.formatLoad(loadAfter));
        String md = "Per run: Queued, Started, " + progressPerRun() + " × Progress, Completed on "
                + Topics.TRAINING_EVENTS + " and one EvaluationCompleted on " + Topics.EVALUATION_EVENTS
                + ", all runs interleaved, published with `CloudEventsKafka.encode` (acks=all) to one broker"
                + " partition per topic, after 2 warm-up runs (consumers joined, handlers compiled). Done when"
                + " `GET /api/runs/{id}` shows every run succeeded with all its training events on the timeline and"
                + " its evaluation. The registry runs as `tuneforge up` starts it (384 MB heap, serial GC, C1"
                + " only); the stack (Kafka, S3Proxy, PostgreSQL) took " + Fmt.f("%.1f", stack.startSeconds())
                + " s to start.\n\n" + table.toMarkdown()
                + "\nCommand: `bench/run --only registry` (the suite starts the stack and the packaged jar).\n";
        return new SectionReport(title, md, List.of(SummaryFigure.plain(figure, Fmt.f("%.0f", perSecond))));
    }

    private static void publish(LocalStackInfo info, List<EventEnvelope<? extends EventPayload>> events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, info.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new StringSerializer())) {
            for (EventEnvelope<? extends EventPayload> event : events) {
                KafkaRecordParts parts = CloudEventsKafka.encode(event);
                RecordHeaders headers = new RecordHeaders();
                parts.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(event.type().topic(), null, parts.key(), parts.value(), headers),
                        (meta, e) -> {
                            if (e != null) {
                                throw new IllegalStateException("Could not publish " + event.type().type() + " "
                                        + event.id() + ": " + e.getMessage(), e);
                            }
                        });
            }
            producer.flush();
        }
    }

    /**
     * Polls the runs in publication order and stops at the first one not yet complete (ingestion is roughly in
     * order, so this keeps the REST load on the registry small); returns how many runs were complete at the end.
     */
    private int awaitRecorded(ServiceProcess registry, String token, List<EventEnvelope<? extends EventPayload>> events)
            throws IOException, InterruptedException {
        Deque<String> pending = new ArrayDeque<>();
        events.stream().filter(e -> e.type().topic().equals(Topics.TRAINING_EVENTS)).map(EventEnvelope::subject)
                .distinct().forEach(pending::add);
        int expected = IngestEvents.trainingEventsPerRun(progressPerRun());
        long deadline = System.nanoTime() + INGEST_LIMIT.toNanos();
        int done = 0;
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            if (!registry.isAlive()) {
                throw new IllegalStateException("registry-service exited; its log ends with:\n" + registry.logTail(20));
            }
            if (complete(registry, token, pending.peek(), expected)) {
                pending.poll();
                done++;
            } else {
                Thread.sleep(50);
            }
        }
        return done;
    }

    private boolean complete(ServiceProcess registry, String token, String runId, int expectedTrainingEvents)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.baseUri() + "/api/runs/" + runId))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/runs/" + runId + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        JsonNode run = Json.mapper().readTree(response.body());
        long training = 0;
        for (JsonNode e : run.path("events")) {
            if (e.path("type").asText().startsWith("io.tuneforge.training.")) {
                training++;
            }
        }
        return "succeeded".equals(run.path("status").asText()) && training == expectedTrainingEvents
                && run.path("evaluations").size() >= 1;
    }
}
