package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Model versions: by model, by run, by status. */
@ApplicationScoped
public class ModelVersionRepository implements PanacheRepositoryBase<ModelVersionEntity, Long> {

    private static final Sort NEWEST_FIRST = Sort.descending("createdAt").and("modelName").and("version",
            Sort.Direction.Descending);

    public Optional<ModelVersionEntity> findVersion(String modelName, int version) {
        return find("modelName = ?1 and version = ?2", modelName, version).firstResultOptional();
    }

    /** Every version of the model, highest first. */
    public List<ModelVersionEntity> versions(String modelName) {
        return list("modelName", Sort.descending("version"), modelName);
    }

    public Optional<ModelVersionEntity> byRun(String runId) {
        return find("runId", runId).firstResultOptional();
    }

    public List<ModelVersionEntity> byRuns(Collection<String> runIds) {
        return runIds.isEmpty() ? List.of() : list("runId in ?1", runIds);
    }

    /** The number the next version of the model gets: one more than the highest so far, 1 for the first. */
    public int nextVersion(String modelName) {
        Integer max = getEntityManager()
                .createQuery("select max(v.version) from ModelVersionEntity v where v.modelName = :m", Integer.class)
                .setParameter("m", modelName)
                .getSingleResult();
        return max == null ? 1 : max + 1;
    }

    /** How many versions the model has and the highest number; {@code [0, 0]} for none. */
    public long[] countAndLatest(String modelName) {
        return countAndLatest(List.of(modelName)).getOrDefault(modelName, new long[]{0, 0});
    }

    /**
     * {@link #countAndLatest(String)} of several models in one query (a page of the models list); a model without
     * versions is absent from the map.
     */
    public Map<String, long[]> countAndLatest(Collection<String> modelNames) {
        Map<String, long[]> result = new HashMap<>();
        if (modelNames.isEmpty()) {
            return result;
        }
        getEntityManager()
                .createQuery("select v.modelName, count(v), max(v.version) from ModelVersionEntity v"
                        + " where v.modelName in :m group by v.modelName", Object[].class)
                .setParameter("m", modelNames)
                .getResultList()
                .forEach(row -> result.put((String) row[0],
                        new long[]{((Number) row[1]).longValue(), ((Number) row[2]).longValue()}));
        return result;
    }

    /**
     * One page of versions across models, newest first.
     *
     * @param modelName only this model's; null = all
     * @param status    only in this status; null = all
     * @param runId     only the one a run produced; null = all
     */
    public PageResult<ModelVersionEntity> search(String modelName, ModelVersionStatus status, String runId, int page,
                                                 int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (modelName != null) {
            where.add("modelName = :model");
            params.and("model", modelName);
        }
        if (status != null) {
            where.add("status = :status");
            params.and("status", status);
        }
        if (runId != null) {
            where.add("runId = :run");
            params.and("run", runId);
        }
        PanacheQuery<ModelVersionEntity> query = where.isEmpty()
                ? findAll(NEWEST_FIRST)
                : find(String.join(" and ", where), NEWEST_FIRST, params);
        long total = query.count();
        return new PageResult<>(query.page(Page.of(page, size)).list(), page, size, total);
    }

    /** Ids of versions still waiting for their artifact check, oldest first. */
    public List<Long> pendingIds(int limit) {
        return getEntityManager()
                .createQuery("select v.id from ModelVersionEntity v where v.status = :s order by v.id", Long.class)
                .setParameter("s", ModelVersionStatus.PENDING_REGISTRATION)
                .setMaxResults(limit)
                .getResultList();
    }
}
