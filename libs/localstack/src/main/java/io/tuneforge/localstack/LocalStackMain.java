package io.tuneforge.localstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the local stack until killed; {@code tuneforge up} starts it in the background.
 *
 * <pre>
 * java -cp ... io.tuneforge.localstack.LocalStackMain --data-dir ~/.tuneforge/data
 * {"kafka":{"bootstrapServers":"127.0.0.1:9092"},"s3":{"endpoint":"http://127.0.0.1:9000",...},...}
 * </pre>
 *
 * <p>Prints one JSON line on standard output once every server answers, then waits; SIGTERM or
 * Ctrl-C closes the servers in reverse order. Always embedded (fixed ports need it). S3
 * credentials come from {@code TUNEFORGE_S3_ACCESS_KEY} / {@code TUNEFORGE_S3_SECRET_KEY} when
 * set (kept out of the process arguments), else fresh random ones; they are printed in the JSON
 * line because clients need them — the server listens on 127.0.0.1 only.
 */
@Command(name = "localstack", mixinStandardHelpOptions = true,
        description = "Start Kafka, an S3 server and PostgreSQL on 127.0.0.1 and print their addresses as JSON.")
public final class LocalStackMain implements Callable<Integer> {

    static final String ACCESS_KEY_ENV = "TUNEFORGE_S3_ACCESS_KEY";
    static final String SECRET_KEY_ENV = "TUNEFORGE_S3_SECRET_KEY";

    @Option(names = "--services", split = ",", paramLabel = "NAME",
            description = "Comma-separated: kafka, s3, postgres (default: all three).")
    Set<String> services = Set.of("kafka", "s3", "postgres");

    @Option(names = "--kafka-port", description = "Kafka port; 0 = any free port (default: ${DEFAULT-VALUE}).")
    int kafkaPort = 9092;

    @Option(names = "--s3-port", description = "S3 port; 0 = any free port (default: ${DEFAULT-VALUE}).")
    int s3Port = 9000;

    @Option(names = "--postgres-port", description = "PostgreSQL port; 0 = any free port (default: ${DEFAULT-VALUE}).")
    int postgresPort = 5432;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep data in DIR/kafka, DIR/s3, DIR/postgres across restarts (default: temporary, deleted on exit).")
    Path dataDir;

    @Option(names = "--partitions", description = "Default partitions of new topics (default: ${DEFAULT-VALUE}).")
    int partitions = 1;

    @Option(names = "--topics", split = ",", paramLabel = "TOPIC", description = "Topics to create at start.")
    String[] topics = new String[0];

    @Option(names = "--database", description = "PostgreSQL database to create (default: ${DEFAULT-VALUE}).")
    String database = "tuneforge";

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new LocalStackMain())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("localstack: " + e.getMessage());
                    return 1;
                });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        LocalStack stack = start(System.out, System.getenv());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
            } finally {
                stopped.countDown();
            }
        }, "tuneforge-localstack-main-shutdown"));
        stopped.await();
        return 0;
    }

    /** Starts the requested servers and prints the JSON line; the caller owns the returned stack. */
    LocalStack start(PrintStream out, Map<String, String> env) {
        LocalStack.Builder builder = LocalStack.builder()
                .mode(LocalStackMode.EMBEDDED)
                .ports(kafkaPort, s3Port, postgresPort)
                .kafkaPartitions(partitions)
                .topics(topics)
                .database(database);
        for (String service : services) {
            builder.with(Component.fromId(service));
        }
        if (dataDir != null) {
            builder.dataDir(dataDir.toAbsolutePath());
        }
        String accessKey = env.get(ACCESS_KEY_ENV);
        String secretKey = env.get(SECRET_KEY_ENV);
        if (accessKey != null || secretKey != null) {
            if (accessKey == null || secretKey == null) {
                throw new IllegalArgumentException("Set both " + ACCESS_KEY_ENV + " and " + SECRET_KEY_ENV
                        + ", or neither (then fresh random credentials are made)");
            }
            builder.s3Credentials(accessKey, secretKey);
        }
        LocalStack stack = builder.start();
        try {
            out.println(json(stack));
            out.flush();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private String json(LocalStack stack) {
        LocalStackInfo info = stack.info();
        Map<String, Object> line = new LinkedHashMap<>();
        if (info.hasKafka()) {
            line.put("kafka", Map.of("bootstrapServers", info.kafkaBootstrapServers()));
        }
        if (info.hasS3()) {
            Map<String, String> s3 = new LinkedHashMap<>();
            s3.put("endpoint", info.s3Endpoint());
            s3.put("accessKey", info.s3AccessKey());
            s3.put("secretKey", info.s3SecretKey());
            s3.put("region", info.s3Region());
            line.put("s3", s3);
        }
        if (info.hasPostgres()) {
            Map<String, String> postgres = new LinkedHashMap<>();
            postgres.put("jdbcUrl", info.jdbcUrl());
            postgres.put("username", info.jdbcUsername());
            postgres.put("password", info.jdbcPassword());
            line.put("postgres", postgres);
        }
        line.put("dataDir", dataDir == null ? null : dataDir.toAbsolutePath().toString());
        line.put("pid", ProcessHandle.current().pid());
        try {
            return new ObjectMapper().writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the address line as JSON", e);
        }
    }
}
