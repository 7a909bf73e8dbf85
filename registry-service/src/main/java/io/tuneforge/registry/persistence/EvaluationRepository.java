package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;

/** Evaluations, by run. */
@ApplicationScoped
public class EvaluationRepository implements PanacheRepositoryBase<EvaluationEntity, String> {

    /** The evaluations of one run, newest first. */
    public List<EvaluationEntity> ofRun(String runId) {
        return list("runId", Sort.descending("createdAt").and("evalId"), runId);
    }

    /** The evaluations of these runs, newest first. */
    public List<EvaluationEntity> ofRuns(Collection<String> runIds) {
        return runIds.isEmpty() ? List.of()
                : list("runId in ?1", Sort.descending("createdAt").and("evalId"), runIds);
    }
}
