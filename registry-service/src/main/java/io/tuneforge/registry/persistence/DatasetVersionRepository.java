package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** Dataset versions, and datasets as the set of their versions. */
@ApplicationScoped
public class DatasetVersionRepository implements PanacheRepositoryBase<DatasetVersionEntity, Long> {

    public Optional<DatasetVersionEntity> findVersion(String datasetId, int version) {
        return find("datasetId = ?1 and version = ?2", datasetId, version).firstResultOptional();
    }

    /** Every version of the dataset, oldest first; empty when the dataset is unknown. */
    public List<DatasetVersionEntity> versions(String datasetId) {
        return find("datasetId", Sort.ascending("version"), datasetId).list();
    }

    /** Datasets ordered by id. */
    public PageResult<DatasetSummaryRow> datasets(int page, int size) {
        List<DatasetSummaryRow> rows = getEntityManager().createQuery(
                        "select new io.tuneforge.registry.persistence.DatasetSummaryRow("
                                + "d.datasetId, max(d.version), count(d), max(d.createdAt)) "
                                + "from DatasetVersionEntity d group by d.datasetId order by d.datasetId",
                        DatasetSummaryRow.class)
                .setFirstResult(page * size)
                .setMaxResults(size)
                .getResultList();
        long total = getEntityManager()
                .createQuery("select count(distinct d.datasetId) from DatasetVersionEntity d", Long.class)
                .getSingleResult();
        return new PageResult<>(rows, page, size, total);
    }
}
