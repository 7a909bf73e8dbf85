package io.tuneforge.trainer.coordination;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The run log's own Kafka clients get the service's {@code kafka.*} settings (in a cluster: SASL/SCRAM over TLS),
 * with the run log's settings on top; before this they knew only the bootstrap address and could not log in.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.training.commands,tuneforge.training.commands.dlq,"
                + "tuneforge.training.events")})
class RunLogClientConfigTest {

    @Inject
    RunLog runLog;

    @Test
    void serviceKafkaSettingsReachTheRunLogClientsAndItsOwnWin() {
        Map<String, Object> config = runLog.clientConfig(Map.of("client.id", "run-log-test",
                "reconnect.backoff.max.ms", "123"));
        // kafka.reconnect.backoff.max.ms=10000 in application.properties; the run log's own value wins
        assertEquals("123", String.valueOf(config.get("reconnect.backoff.max.ms")));
        assertEquals("run-log-test", config.get("client.id"));
        // a setting only the service has, as security.protocol has in a cluster
        Map<String, Object> defaults = runLog.clientConfig(Map.of());
        assertEquals("10000", String.valueOf(defaults.get("reconnect.backoff.max.ms")));
    }
}
