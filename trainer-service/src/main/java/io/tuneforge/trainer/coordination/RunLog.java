package io.tuneforge.trainer.coordination;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.tuneforge.contracts.Json;
import io.tuneforge.trainer.config.TrainerConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The run log on Kafka: topic {@code tuneforge.trainer.runs} (one partition, so one total order), written by every
 * replica and read whole by every replica into its {@link RunLedger}. A reader thread assigned to the partition (no
 * consumer group: nothing to rebalance) applies each record and tells the {@link Listener}s.
 * <p>
 * {@link #write} appends a record and returns the verdict once this replica's reader applied it: a claim returns
 * {@code accepted} only if no other claim of the same epoch came first. {@link #isCaughtUp()} turns true once the
 * records that were in the log at start have been applied; until then this replica claims nothing (its view would be
 * stale) and its readiness check is DOWN.
 */
@ApplicationScoped
public class RunLog {

    /** Told about every record the reader applied, on the reader thread; must return quickly. */
    public interface Listener {
        void onApplied(RunLogEntry entry, RunLedger.Verdict verdict);
    }

    private static final Logger LOG = Logger.getLogger(RunLog.class);

    private final RunLedger ledger = new RunLedger();
    private final Map<String, CompletableFuture<RunLedger.Verdict>> pending = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final String bootstrap;
    /** Every {@code kafka.*} setting of the service (security protocol, SASL, TLS stores...), for our own clients. */
    private final Map<String, Object> kafkaDefaults;
    private final TrainerConfig config;
    private volatile KafkaProducer<String, String> producer;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean caughtUp;
    private volatile boolean closed;
    private volatile String lastProblem = "not started";
    /** Offset of the next record to apply (the reader thread's own; kept across reconnects). */
    private long applied;
    private Thread reader;

    public RunLog(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults, TrainerConfig config) {
        this.bootstrap = bootstrap;
        this.kafkaDefaults = kafkaDefaults;
        this.config = config;
    }

    /**
     * The service's {@code kafka.*} settings with {@code own} on top: the run log's clients must log in to a secured
     * broker (SASL/SCRAM over TLS in deploy/) exactly as the SmallRye channels do.
     */
    Map<String, Object> clientConfig(Map<String, Object> own) {
        Map<String, Object> merged = new HashMap<>();
        kafkaDefaults.forEach((key, value) -> {
            if (value != null) {
                merged.put(key, value);
            }
        });
        merged.putAll(own);
        return merged;
    }

    /** The producer exists as soon as the bean does: admission may write before the start event is observed. */
    @PostConstruct
    void openProducer() {
        producer = new KafkaProducer<>(clientConfig(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "0",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000",
                ProducerConfig.CLIENT_ID_CONFIG, "trainer-run-log-" + config.worker())),
                new StringSerializer(), new StringSerializer());
    }

    void onStart(@Observes StartupEvent event) {
        reader = new Thread(this::readLoop, "run-log-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        closed = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (reader != null) {
                reader.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** This replica's view of every run. */
    public RunLedger ledger() {
        return ledger;
    }

    /** Whether every record that was in the log at start has been applied. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Why the log is not usable, for the readiness check; null while it is. */
    public String problem() {
        return caughtUp ? null : lastProblem;
    }

    public String topic() {
        return config.runLog().topic();
    }

    /**
     * Appends {@code entry} and waits until this replica's reader has applied it.
     *
     * @return the ledger's verdict on it
     * @throws RunLogException when the broker does not take the record or the reader does not see it in time
     */
    public RunLedger.Verdict write(RunLogEntry entry) {
        CompletableFuture<RunLedger.Verdict> verdict = new CompletableFuture<>();
        pending.put(entry.entryId(), verdict);
        long timeoutMs = config.runLog().applyTimeout().toMillis();
        try {
            producer.send(new ProducerRecord<>(topic(), entry.runId(), Json.write(entry)))
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            return verdict.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunLogException("interrupted while writing " + describe(entry), e);
        } catch (ExecutionException e) {
            throw new RunLogException("the broker did not take " + describe(entry) + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new RunLogException(describe(entry) + " was not applied within "
                    + config.runLog().applyTimeout().toSeconds() + " s (tuneforge.trainer.run-log.apply-timeout);"
                    + " is the broker at " + bootstrap + " reachable? " + (caughtUp ? "" : lastProblem), e);
        } finally {
            pending.remove(entry.entryId());
        }
    }

    private static String describe(RunLogEntry e) {
        return "run log record " + e.kind().wireName() + " of run " + e.runId();
    }

    private void readLoop() {
        TopicPartition partition = new TopicPartition(topic(), 0);
        while (!closed) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(clientConfig(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.CLIENT_ID_CONFIG, "trainer-run-log-reader-" + config.worker())),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer = c;
                ensureTopic();
                c.assign(List.of(partition));
                if (applied == 0) {
                    c.seekToBeginning(List.of(partition));
                } else {
                    c.seek(partition, applied);
                }
                long end = c.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
                lastProblem = "catching up with " + topic() + " (" + end + " records)";
                while (!closed) {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(200))) {
                        apply(record);
                        applied = record.offset() + 1;
                    }
                    if (!caughtUp && c.position(partition) >= end) {
                        caughtUp = true;
                        LOG.infof("Run log %s read up to offset %d: %s", topic(), end, ledger.countsByStatus());
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (!closed) {
                    lastProblem = "run log " + topic() + " at " + bootstrap + " not readable: " + e
                            + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
                    LOG.warnf("%s; retrying in 2 s", lastProblem);
                    sleep(2000);
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        RunLogEntry entry;
        try {
            entry = Json.read(record.value(), RunLogEntry.class);
        } catch (RuntimeException e) {
            LOG.errorf("Skipping unreadable run log record at offset %d (key %s): %s", record.offset(), record.key(),
                    e.getMessage());
            return;
        }
        if (entry.kind() == null || entry.runId() == null || entry.entryId() == null) {
            LOG.errorf("Skipping run log record at offset %d without kind, runId or entryId: %s", record.offset(),
                    record.value());
            return;
        }
        RunLedger.Verdict verdict = ledger.apply(entry);
        if (!verdict.accepted() && caughtUp) {
            LOG.debugf("Run log: %s of %s by %s not accepted: %s", entry.kind().wireName(), entry.runId(),
                    entry.worker(), verdict.reason());
        }
        for (Listener listener : listeners) {
            try {
                listener.onApplied(entry, verdict);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Run log listener failed on %s of %s", entry.kind().wireName(), entry.runId());
            }
        }
        CompletableFuture<RunLedger.Verdict> waiting = pending.get(entry.entryId());
        if (waiting != null) {
            waiting.complete(verdict);
        }
    }

    private void ensureTopic() {
        try (Admin admin = Admin.create(clientConfig(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "trainer-run-log-admin-" + config.worker())))) {
            if (admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic())) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic(), java.util.Optional.of(1), java.util.Optional.empty())
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1"))))
                    .all().get(10, TimeUnit.SECONDS);
            LOG.infof("Created the run log topic %s (1 partition, kept forever)", topic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new RunLogException("cannot create topic " + topic() + ": " + e.getCause(), e);
            }
        } catch (TimeoutException e) {
            throw new RunLogException("the broker at " + bootstrap + " did not answer within 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunLogException("interrupted", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
