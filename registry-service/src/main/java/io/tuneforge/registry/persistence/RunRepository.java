package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.tuneforge.contracts.training.TrainingStatus;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs, newest first; optionally only those in one status. */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<RunEntity, String> {

    private static final Sort NEWEST_FIRST = Sort.descending("createdAt").and("runId", Sort.Direction.Ascending);

    /**
     * @param status only runs in this status; null = all
     * @param page   zero-based page index
     * @param size   rows per page, at least 1
     */
    public PageResult<RunEntity> page(TrainingStatus status, int page, int size) {
        PanacheQuery<RunEntity> query = status == null
                ? findAll(NEWEST_FIRST)
                : find("status = ?1", NEWEST_FIRST, status);
        long total = query.count();
        return new PageResult<>(query.page(Page.of(page, size)).list(), page, size, total);
    }
}
