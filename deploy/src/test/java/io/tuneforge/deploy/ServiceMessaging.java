package io.tuneforge.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Kafka topics and consumer groups a service uses, read from its {@code application.properties} (profile-less
 * keys only): {@code mp.messaging.incoming.*.topic / group.id / dead-letter-queue.topic},
 * {@code mp.messaging.outgoing.*.topic}, and the trainer's run log ({@code tuneforge.trainer.run-log.topic}).
 *
 * @param service  the service (Deployment and KafkaUser name)
 * @param reads    topics it consumes
 * @param writes   topics it produces to, dead-letter topics included
 * @param groups   consumer groups it joins
 */
record ServiceMessaging(String service, Set<String> reads, Set<String> writes, Set<String> groups) {

    /** The key of the trainer's run-log topic (read and written by every trainer replica, no group). */
    static final String RUN_LOG_KEY = "tuneforge.trainer.run-log.topic";

    /** SmallRye's dead-letter topic when a channel names none. */
    private static final String DEFAULT_DLQ_PREFIX = "dead-letter-topic-";

    static ServiceMessaging load(Path repositoryRoot, String service) throws IOException {
        Path file = file(repositoryRoot, service);
        Properties p = properties(file);
        Set<String> reads = new TreeSet<>();
        Set<String> writes = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).strip();
            if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".topic")
                    && !key.endsWith(".dead-letter-queue.topic")) {
                reads.add(value);
                String channel = key.substring(0, key.length() - ".topic".length());
                String group = p.getProperty(channel + ".group.id");
                if (group != null) {
                    groups.add(group.strip());
                }
                if ("dead-letter-queue".equals(p.getProperty(channel + ".failure-strategy", "").strip())) {
                    writes.add(p.getProperty(channel + ".dead-letter-queue.topic", DEFAULT_DLQ_PREFIX + value).strip());
                }
            } else if (key.startsWith("mp.messaging.outgoing.") && key.endsWith(".topic")) {
                writes.add(value);
            } else if (key.equals(RUN_LOG_KEY)) {
                reads.add(value);
                writes.add(value);
            }
        }
        if (reads.isEmpty() && writes.isEmpty()) {
            throw new IllegalStateException(file + " names no Kafka topic (mp.messaging.*.topic): expected the "
                    + "service's channels there");
        }
        return new ServiceMessaging(service, reads, writes, groups);
    }

    /** One profile-less setting of a service's application.properties; fails naming the file when it is absent. */
    static String setting(Path repositoryRoot, String service, String key) throws IOException {
        Path file = file(repositoryRoot, service);
        String value = properties(file).getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(file + " has no " + key);
        }
        return value.strip();
    }

    private static Path file(Path repositoryRoot, String service) {
        return repositoryRoot.resolve(service).resolve("src/main/resources/application.properties");
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
