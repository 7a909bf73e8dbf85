package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.tuneforge.contracts.training.TrainingStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Runs, newest first; filtered by status, model, dataset or id text. */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<RunEntity, String> {

    private static final Sort NEWEST_FIRST = Sort.descending("createdAt").and("runId", Sort.Direction.Ascending);

    /**
     * @param status only runs in this status; null = all
     * @param page   zero-based page index
     * @param size   rows per page, at least 1
     */
    public PageResult<RunEntity> page(TrainingStatus status, int page, int size) {
        return search(new RunFilter(status, null, null, null, null), page, size);
    }

    /** One page of the runs that match {@code filter}, newest first. */
    public PageResult<RunEntity> search(RunFilter filter, int page, int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (filter.status() != null) {
            where.add("status = :status");
            params.and("status", filter.status());
        }
        if (filter.modelName() != null) {
            where.add("modelName = :model");
            params.and("model", filter.modelName());
        }
        if (filter.datasetId() != null) {
            where.add("datasetId = :dataset");
            params.and("dataset", filter.datasetId());
            if (filter.datasetVersion() != null) {
                where.add("datasetVersion = :datasetVersion");
                params.and("datasetVersion", filter.datasetVersion());
            }
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            where.add("lower(runId) like :text");
            params.and("text", "%" + filter.text().trim().toLowerCase(Locale.ROOT) + "%");
        }
        PanacheQuery<RunEntity> query = where.isEmpty()
                ? findAll(NEWEST_FIRST)
                : find(String.join(" and ", where), NEWEST_FIRST, params);
        long total = query.count();
        return new PageResult<>(query.page(Page.of(page, size)).list(), page, size, total);
    }

    /** The runs with these ids, in no particular order (unknown ids are left out). */
    public List<RunEntity> byIds(Collection<String> runIds) {
        return runIds.isEmpty() ? List.of() : list("runId in ?1", runIds);
    }

    /** Runs that train on one dataset version, oldest first. */
    public List<RunEntity> onDatasetVersion(String datasetId, int version) {
        return list("datasetId = ?1 and datasetVersion = ?2", Sort.ascending("createdAt"), datasetId, version);
    }
}
