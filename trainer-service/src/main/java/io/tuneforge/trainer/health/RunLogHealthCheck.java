package io.tuneforge.trainer.health;

import io.tuneforge.trainer.coordination.RunLog;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * "Run log": UP once this replica has read the run log up to where it was at start, so its view of queued and held
 * runs is current and it may claim runs; DOWN with the reason before that (broker away, still catching up).
 */
@Readiness
@ApplicationScoped
public class RunLogHealthCheck implements HealthCheck {

    private final RunLog log;

    public RunLogHealthCheck(RunLog log) {
        this.log = log;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Run log").withData("topic", log.topic());
        String problem = log.problem();
        return problem == null ? response.up().build() : response.down().withData("reason", problem).build();
    }
}
