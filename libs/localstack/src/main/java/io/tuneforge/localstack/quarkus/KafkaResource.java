package io.tuneforge.localstack.quarkus;

import io.tuneforge.localstack.Component;
import java.util.EnumSet;

/**
 * Kafka broker only: sets {@code kafka.bootstrap.servers} and {@code mp.messaging.connector.smallrye-kafka.bootstrap.servers}.
 * Init args as {@link LocalStackResource}, less the component switches.
 */
public class KafkaResource extends LocalStackResource {

    public KafkaResource() {
        super(EnumSet.of(Component.KAFKA));
    }
}
