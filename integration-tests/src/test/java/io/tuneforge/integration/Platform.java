package io.tuneforge.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.cloudevents.KafkaRecordParts;
import io.tuneforge.launcher.PlatformWiring;
import io.tuneforge.launcher.ServiceProcess;
import io.tuneforge.localstack.LocalStack;
import io.tuneforge.localstack.LocalStackInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The whole platform for one test class: real Kafka, S3 and PostgreSQL in-process (libs/localstack), and the
 * packaged services as child processes configured to use them. Logs go to {@code target/service-logs/}.
 */
final class Platform implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** registry-service's bootstrap admin token for this run (a secret: passed in the environment). */
    static final String REGISTRY_ADMIN_TOKEN = "it-admin-" + java.util.UUID.randomUUID();

    private final LocalStack stack;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final KafkaProducer<String, String> producer;
    private final HttpClient http = HttpClient.newHttpClient();

    private Platform(LocalStack stack) {
        this.stack = stack;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.info().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /**
     * Checks that every module is packaged, starts the infrastructure, then the services (all at once), and waits
     * until each is ready.
     */
    static Platform start(String... modules) {
        Path root = Path.of(System.getProperty("tuneforge.repo.root", "..")).toAbsolutePath().normalize();
        Path logDir = Path.of(System.getProperty("tuneforge.it.log-dir", "target/service-logs"));
        List<Path> jars = new ArrayList<>();
        for (String module : modules) {
            jars.add(ServiceProcess.packagedJar(root, module)); // fail before starting anything
        }
        List<String> topics = new ArrayList<>(Topics.all());
        Topics.all().forEach(t -> topics.add(Topics.dlq(t)));
        Platform platform = new Platform(LocalStack.builder().all().topics(topics.toArray(String[]::new)).start());
        try {
            LocalStackInfo info = platform.stack.info();
            for (int i = 0; i < modules.length; i++) {
                ServiceProcess.Builder service = ServiceProcess.builder(modules[i], jars.get(i)).logDir(logDir);
                platform.wiring().applyTo(modules[i], service);
                platform.services.add(service.start());
            }
            for (ServiceProcess service : platform.services) {
                service.awaitReady(READY_TIMEOUT);
            }
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    /** What each service is given to join this platform (secrets included). */
    PlatformWiring wiring() {
        LocalStackInfo info = stack.info();
        return new PlatformWiring(info.kafkaBootstrapServers(), info.s3Endpoint(), info.s3Region(), "tuneforge",
                info.s3AccessKey(), info.s3SecretKey(), info.hasPostgres() ? info.jdbcUrl() : null,
                info.hasPostgres() ? info.jdbcUsername() : null, info.hasPostgres() ? info.jdbcPassword() : null,
                REGISTRY_ADMIN_TOKEN);
    }

    ServiceProcess service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service '" + name + "' in " + services));
    }

    LocalStackInfo info() {
        return stack.info();
    }

    /** Publishes an event the way producers of the platform do: contracts codec, CloudEvents binary mode. */
    void publish(EventEnvelope<?> event) {
        KafkaRecordParts parts = CloudEventsKafka.encode(event);
        RecordHeaders headers = new RecordHeaders();
        parts.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(new ProducerRecord<>(event.type().topic(), null, parts.key(), parts.value(), headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing " + event.type().type(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not publish " + event.type().type() + " " + event.id()
                    + ": " + e.getMessage(), e);
        }
    }

    /** A consumer reading every partition of {@code topic} from the beginning, without a consumer group. */
    KafkaConsumer<String, String> reader(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.info().kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** {@code GET} on a service; the status code and the body parsed as JSON. */
    HttpAnswer get(String service, String path) {
        URI uri = service(service).baseUri().resolve(path);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? null : Json.mapper().readTree(response.body());
            return new HttpAnswer(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    body);
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + uri, e);
        }
    }

    /** {@code POST} of a JSON body to a service, with a bearer token; the status code and the body as JSON. */
    HttpAnswer post(String service, String path, String json, String bearer) {
        URI uri = service(service).baseUri().resolve(path);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearer)
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? null : Json.mapper().readTree(response.body());
            return new HttpAnswer(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    body);
        } catch (IOException e) {
            throw new IllegalStateException("POST " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during POST " + uri, e);
        }
    }

    /** Stops the services (all at once, each waited for), then the infrastructure. */
    @Override
    public void close() {
        try {
            producer.close(Duration.ofSeconds(5));
            services.forEach(ServiceProcess::requestStop); // side by side: shutdowns overlap
            services.forEach(ServiceProcess::close);
        } finally {
            stack.close();
        }
    }

    record HttpAnswer(int status, String contentType, JsonNode body) {
    }
}
