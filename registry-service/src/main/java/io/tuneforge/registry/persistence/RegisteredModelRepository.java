package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Registered models, most recently updated first. */
@ApplicationScoped
public class RegisteredModelRepository implements PanacheRepositoryBase<RegisteredModelEntity, String> {

    private static final Sort RECENT_FIRST = Sort.descending("updatedAt").and("name", Sort.Direction.Ascending);

    /**
     * One page of models.
     *
     * @param text     only names containing this (case-insensitive); null = all
     * @param tagKey   only models with a tag of this key; null = all
     * @param tagValue with {@code tagKey}: only where the tag has this value
     */
    public PageResult<RegisteredModelEntity> search(String text, String tagKey, String tagValue, int page, int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (text != null && !text.isBlank()) {
            where.add("lower(name) like :text");
            params.and("text", "%" + text.trim().toLowerCase(Locale.ROOT) + "%");
        }
        if (tagKey != null) {
            String tagged = "name in (select t.targetKey from TagEntity t where t.targetType = 'model'"
                    + " and t.key = :tagKey" + (tagValue != null ? " and t.value = :tagValue" : "") + ")";
            where.add(tagged);
            params.and("tagKey", tagKey);
            if (tagValue != null) {
                params.and("tagValue", tagValue);
            }
        }
        PanacheQuery<RegisteredModelEntity> query = where.isEmpty()
                ? findAll(RECENT_FIRST)
                : find(String.join(" and ", where), RECENT_FIRST, params);
        long total = query.count();
        return new PageResult<>(query.page(Page.of(page, size)).list(), page, size, total);
    }

    /** The model, its row locked until the transaction ends (serialises version numbering across replicas). */
    public Optional<RegisteredModelEntity> lock(String name) {
        return findByIdOptional(name, LockModeType.PESSIMISTIC_WRITE);
    }
}
