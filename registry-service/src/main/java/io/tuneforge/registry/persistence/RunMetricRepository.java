package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** The metric series of runs. */
@ApplicationScoped
public class RunMetricRepository implements PanacheRepositoryBase<RunMetricEntity, Long> {

    /** The run's points in step order, whatever order their events arrived in. */
    public List<RunMetricEntity> series(String runId) {
        return list("runId", Sort.ascending("step"), runId);
    }

    public Optional<RunMetricEntity> atStep(String runId, long step) {
        return find("runId = ?1 and step = ?2", runId, step).firstResultOptional();
    }
}
