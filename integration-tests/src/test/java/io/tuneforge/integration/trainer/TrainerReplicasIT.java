package io.tuneforge.integration.trainer;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingCheckpointed;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingStarted;
import io.tuneforge.launcher.PlatformWiring;
import io.tuneforge.launcher.ServiceProcess;
import io.tuneforge.localstack.Component;
import io.tuneforge.localstack.LocalStack;
import io.tuneforge.localstack.LocalStackInfo;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.StorageSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged trainer-service replicas against real Kafka and S3: they take two runs at once (one each), and when
 * the replica training one of them is killed ({@code kill -9}) right after its first checkpoint, the other replica
 * takes the run over once the lease expires, resumes it from that checkpoint in the store and finishes it — to the
 * same adapter, within 1e-6, as the run the other replica trained without interruption with the same seed. Each run
 * completes exactly once.
 */
class TrainerReplicasIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String MODEL = "tiny-it";
    private static final String DATASET = "ds-it-colours";
    private static final String[] COLOURS = {"red", "blue", "green", "black", "white", "pink", "grey", "gold"};

    private static LocalStack stack;
    private static ArtifactStore store;
    private static KafkaProducer<String, String> producer;
    private static final Map<String, ServiceProcess> replicas = new TreeMap<>();
    private static Path work;
    private static int restarts;

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("tuneforge.repo.root", "..")).toAbsolutePath().normalize();
        Path jar = ServiceProcess.packagedJar(root, "trainer-service");
        stack = LocalStack.builder().with(Component.KAFKA, Component.S3)
                .topics(Topics.TRAINING_COMMANDS, Topics.dlq(Topics.TRAINING_COMMANDS), Topics.TRAINING_EVENTS)
                .start();
        LocalStackInfo info = stack.info();
        store = new ArtifactStore(new StorageSettings(info.s3Endpoint(), info.s3AccessKey(), info.s3SecretKey(),
                info.s3Region(), "tuneforge"), Json.mapper());
        store.ensureBucket();
        uploadFixtures();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, info.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());

        work = Files.createTempDirectory("trainer-replicas");
        for (String name : List.of("trainer-a", "trainer-b")) {
            replicas.put(name, replica(name, name, jar));
        }
        for (ServiceProcess replica : replicas.values()) {
            replica.awaitReady(Duration.ofSeconds(90));
        }
    }

    /** Both replicas up: a test that killed or stopped one gets it back for the next. */
    @BeforeEach
    void bothReplicasRunning() {
        Path jar = ServiceProcess.packagedJar(Path.of(System.getProperty("tuneforge.repo.root", ".."))
                .toAbsolutePath().normalize(), "trainer-service");
        for (Map.Entry<String, ServiceProcess> entry : replicas.entrySet()) {
            if (!entry.getValue().isAlive()) {
                entry.getValue().close();
                String logName = entry.getKey() + "-restart-" + (++restarts); // keep the stopped replica's log
                entry.setValue(replica(entry.getKey(), logName, jar).awaitReady(Duration.ofSeconds(90)));
            }
        }
    }

    private static ServiceProcess replica(String worker, String logName, Path jar) {
        LocalStackInfo info = stack.info();
        ServiceProcess.Builder replica = ServiceProcess.builder(logName, jar)
                .logDir(Path.of(System.getProperty("tuneforge.it.log-dir", "target/service-logs")))
                .heap("384m");
        return new PlatformWiring(info.kafkaBootstrapServers(), info.s3Endpoint(), info.s3Region(), "tuneforge",
                info.s3AccessKey(), info.s3SecretKey(), null, null, null, null).applyTo("trainer-service", replica)
                .config("tuneforge.trainer.worker", worker)
                .config("tuneforge.trainer.work-dir", work.resolve(logName).toString())
                .config("tuneforge.trainer.compute.threads", "1")
                .config("tuneforge.trainer.scan-interval", "500ms")
                .config("tuneforge.trainer.lease.ttl", "3s")
                .config("tuneforge.trainer.lease.heartbeat", "1s")
                .config("tuneforge.trainer.progress.every-steps", "5")
                .start();
    }

    @AfterAll
    static void stop() {
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            replicas.values().forEach(ServiceProcess::requestStop);
            replicas.values().forEach(ServiceProcess::close);
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    void twoReplicasTrainTwoRunsAtOnceAndAKilledReplicasRunResumesElsewhereToTheSameAdapter() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String straight = "it-straight-" + suffix;
        String crashed = "it-crashed-" + suffix;
        try (TrainingEventLog events = new TrainingEventLog(stack.info().kafkaBootstrapServers())) {
            submit(request(straight));
            submit(request(crashed));

            // 1) scale-out: one run per replica, both started before either completes
            TrainingStarted first = events.await(crashed, "started", WAIT).as(TrainingStarted.class);
            TrainingStarted other = events.await(straight, "started", WAIT).as(TrainingStarted.class);
            assertNotEquals(first.worker(), other.worker(), "each replica takes one run");
            assertEquals(0, first.resumedFromStep());
            assertEquals(40, first.totalSteps());

            // 2) kill -9 the replica training `crashed` right after its first checkpoint is in the store
            TrainingCheckpointed checkpointed = events.await(crashed, "checkpointed", WAIT)
                    .as(TrainingCheckpointed.class);
            ServiceProcess victim = replicas.get(first.worker());
            ProcessHandle.of(victim.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL: no shutdown hook runs
            for (int i = 0; i < 100 && victim.isAlive(); i++) {
                TrainingEventLog.sleep(100);
            }
            assertFalse(victim.isAlive(), "the victim is gone");
            assertEquals(0, events.of(crashed, "completed").size(), "killed before it could finish (first checkpoint"
                    + " at step " + checkpointed.step() + ")");

            // 3) the survivor finishes its own run, then takes the orphan over and resumes it
            TrainingEventLog.Event straightDone = events.await(straight, "completed", WAIT);
            TrainingEventLog.Event crashedStart1 = events.of(crashed, "started").get(0);
            assertTrue(crashedStart1.timestamp() <= straightDone.timestamp()
                            && events.of(straight, "started").get(0).timestamp() <= straightDone.timestamp(),
                    "both runs started before either completed");
            TrainingStarted resumed = events.await("a second start of " + crashed, e -> e.runId().equals(crashed)
                    && e.type().equals("started") && e.as(TrainingStarted.class).resumedFromStep() > 0, WAIT)
                    .as(TrainingStarted.class);
            assertEquals(2, events.of(crashed, "started").size());
            assertEquals(other.worker(), resumed.worker(), "the survivor took it over");
            assertTrue(resumed.resumedFromStep() >= checkpointed.step(), "resumed from step "
                    + resumed.resumedFromStep() + ", first checkpoint was " + checkpointed.step());
            TrainingCompleted done = events.await(crashed, "completed", WAIT).as(TrainingCompleted.class);
            assertEquals(40, done.steps());

            // 4) exactly once, and the same adapter as the uninterrupted run
            TrainingEventLog.sleep(4000); // longer than the lease TTL: a late duplicate would show by now
            assertEquals(1, events.of(crashed, "completed").size(), "Completed once per run");
            assertEquals(1, events.of(straight, "completed").size(), "Completed once per run");
            Map<String, float[]> a = adapter(straight);
            Map<String, float[]> b = adapter(crashed);
            assertEquals(a.keySet(), b.keySet());
            assertEquals(28, a.size(), "lora_A and lora_B of 2 layers × 7 modules");
            double maxDiff = 0;
            boolean trained = false;
            for (String name : a.keySet()) {
                float[] x = a.get(name);
                float[] y = b.get(name);
                assertEquals(x.length, y.length, name);
                for (int i = 0; i < x.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
                    trained |= name.contains("lora_B") && x[i] != 0;
                }
            }
            assertTrue(trained, "lora_B moved away from zero");
            assertTrue(maxDiff <= 1e-6, "resumed adapter differs from the uninterrupted one by " + maxDiff);
            System.out.printf("resumed run: killed after step %d, resumed from step %d; max |Δ| adapter = %.3g%n",
                    checkpointed.step(), resumed.resumedFromStep(), maxDiff);

            List<Long> steps = new ArrayList<>();
            for (String line : new String(store.getBytes(ObjectKeys.runMetrics(crashed)), StandardCharsets.UTF_8)
                    .split("\n")) {
                if (line.contains("\"type\":\"train\"")) {
                    steps.add(Json.mapper().readTree(line).path("step").asLong());
                }
            }
            assertEquals(40, steps.size(), "metrics.jsonl keeps each step once across both attempts: " + steps);
            assertEquals(40L, steps.get(steps.size() - 1));
            String state = new String(store.getBytes(ObjectKeys.runState(crashed)), StandardCharsets.UTF_8);
            assertTrue(state.contains("\"status\":\"succeeded\"") && state.contains("\"attempt\":2"), state);
            assertFalse(victim.isAlive());
        }
    }

    @Test
    void aReplicaStoppedGracefullyHandsItsRunBackAndTheOtherResumesIt() throws Exception {
        String runId = "it-handed-back-" + UUID.randomUUID().toString().substring(0, 8);
        try (TrainingEventLog events = new TrainingEventLog(stack.info().kafkaBootstrapServers())) {
            submit(request(runId));
            events.await(runId, "progress", WAIT); // training is under way
            TrainingStarted first = events.of(runId, "started").get(0).as(TrainingStarted.class);

            replicas.get(first.worker()).close(); // SIGTERM: Quarkus shuts down, the run is handed back

            TrainingStarted resumed = events.await("a second start of " + runId, e -> e.runId().equals(runId)
                    && e.type().equals("started") && e.as(TrainingStarted.class).resumedFromStep() > 0, WAIT)
                    .as(TrainingStarted.class);
            List<TrainingEventLog.Event> all = events.of(runId, null);
            int restart = all.indexOf(all.stream().filter(e -> e.type().equals("started")).skip(1).findFirst()
                    .orElseThrow());
            TrainingCheckpointed lastBefore = all.subList(0, restart).stream()
                    .filter(e -> e.type().equals("checkpointed")).reduce((a, b) -> b).orElseThrow()
                    .as(TrainingCheckpointed.class);
            assertNotEquals(first.worker(), resumed.worker());
            assertEquals(lastBefore.step(), resumed.resumedFromStep(),
                    "resumed from the checkpoint the stopping replica uploaded on its way out");
            assertEquals(40, events.await(runId, "completed", WAIT).as(TrainingCompleted.class).steps());
            assertTrue(events.of(runId, "cancelled").isEmpty() && events.of(runId, "failed").isEmpty(),
                    "handing back is neither a cancel nor a failure");
            try (KafkaConsumer<String, String> log = runLog()) {
                // Both replicas may claim the waiting run at once; the log keeps both records and every ledger
                // rejects the later claim of an epoch, so only the first claim per epoch counts here.
                List<String> kinds = new ArrayList<>();
                Set<Object> claimedEpochs = new HashSet<>();
                for (int i = 0; i < 20 && !kinds.contains("finished"); i++) {
                    log.poll(Duration.ofMillis(250)).forEach(r -> {
                        if (runId.equals(r.key())) {
                            Map<?, ?> entry = Json.read(r.value(), Map.class);
                            String kind = entry.get("kind").toString();
                            if (!kind.equals("claimed") || claimedEpochs.add(entry.get("epoch"))) {
                                kinds.add(kind);
                            }
                        }
                    });
                }
                assertEquals(List.of("enqueued", "claimed", "released", "claimed", "finished"),
                        kinds.subList(0, Math.min(5, kinds.size())), "the run log of " + runId);
            }
        }
    }

    /** The trainers' run log from its beginning. */
    private static KafkaConsumer<String, String> runLog() {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.info().kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
        TopicPartition partition = new TopicPartition("tuneforge.trainer.runs", 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    /** LoRA r 8 with dropout 0.1 (the dropout stream must resume too), 40 steps, a checkpoint every 5, seed 42. */
    private static String request(String runId) {
        return "{\"runId\":\"" + runId + "\",\"baseModel\":\"s3://tuneforge/" + ObjectKeys.modelPrefix(MODEL)
                + "\",\"dataset\":{\"id\":\"" + DATASET + "\",\"version\":1},"
                + "\"lora\":{\"r\":8,\"alpha\":16,\"dropout\":0.1},"
                + "\"hyperparameters\":{\"epochs\":10,\"learningRate\":0.01,\"batchSize\":4,\"gradientAccumulation\":1,"
                + "\"maxSeqLength\":64,\"warmupSteps\":2,\"scheduler\":\"cosine\",\"seed\":42,\"checkpointSteps\":5}}";
    }

    private static void submit(String json) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TRAINING_COMMANDS, null, json)).get(30, TimeUnit.SECONDS);
    }

    private static Map<String, float[]> adapter(String runId) throws Exception {
        Path file = Files.createTempFile("adapter-" + runId, ".safetensors");
        store.downloadFile(ObjectKeys.runAdapter(runId) + "adapter_model.safetensors", file);
        return SafetensorsFile.readF32(file);
    }

    private static void uploadFixtures() throws Exception {
        Path dir = Files.createTempDirectory("trainer-it");
        TinyModel.write(dir.resolve("model"), TinySpec.defaults());
        store.upload(dir.resolve("model"), ObjectKeys.modelPrefix(MODEL));
        List<String> records = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            records.add("{\"instruction\": \"Colour " + k + "?\", \"output\": \"" + COLOURS[k % COLOURS.length]
                    + "\"}");
        }
        store.putBytes(ObjectKeys.datasetFile(DATASET, 1, ObjectKeys.TRAIN_FILE),
                (String.join("\n", records) + "\n").getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        store.putJson(ObjectKeys.datasetManifest(DATASET, 1), Map.of("schemaVersion", 1, "datasetId", DATASET,
                "version", 1, "format", "instruction", "counts", Map.of("train", 16, "eval", 0)));
    }
}
