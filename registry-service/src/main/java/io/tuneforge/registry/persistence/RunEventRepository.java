package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The timelines of runs. */
@ApplicationScoped
public class RunEventRepository implements PanacheRepositoryBase<RunEventEntity, String> {

    /** The run's events in the order the facts happened (ties broken by event id, so the order is stable). */
    public List<RunEventEntity> timeline(String runId) {
        return find("runId", Sort.ascending("time").and("eventId"), runId).list();
    }
}
