package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;
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
        return datasets(null, null, page, size);
    }

    /**
     * Datasets ordered by id.
     *
     * @param text   only ids containing this (case-insensitive); null = all
     * @param format only datasets with a version in this format (wire name); null = all
     */
    public PageResult<DatasetSummaryRow> datasets(String text, String format, int page, int size) {
        String where = " where 1 = 1"
                + (text != null ? " and lower(d.datasetId) like :text" : "")
                + (format != null ? " and d.datasetId in (select f.datasetId from DatasetVersionEntity f"
                + " where f.format = :format)" : "");
        var rowsQuery = getEntityManager().createQuery(
                "select new io.tuneforge.registry.persistence.DatasetSummaryRow("
                        + "d.datasetId, max(d.version), count(d), max(d.createdAt)) "
                        + "from DatasetVersionEntity d" + where + " group by d.datasetId order by d.datasetId",
                DatasetSummaryRow.class);
        var countQuery = getEntityManager().createQuery(
                "select count(distinct d.datasetId) from DatasetVersionEntity d" + where, Long.class);
        if (text != null) {
            String like = "%" + text.toLowerCase(Locale.ROOT) + "%";
            rowsQuery.setParameter("text", like);
            countQuery.setParameter("text", like);
        }
        if (format != null) {
            rowsQuery.setParameter("format", format);
            countQuery.setParameter("format", format);
        }
        List<DatasetSummaryRow> rows = rowsQuery.setFirstResult(page * size).setMaxResults(size).getResultList();
        return new PageResult<>(rows, page, size, countQuery.getSingleResult());
    }
}
