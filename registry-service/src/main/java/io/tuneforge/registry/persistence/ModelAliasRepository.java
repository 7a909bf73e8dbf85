package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Aliases of models. */
@ApplicationScoped
public class ModelAliasRepository implements PanacheRepositoryBase<ModelAliasEntity, Long> {

    public Optional<ModelAliasEntity> findAlias(String modelName, String alias) {
        return find("modelName = ?1 and alias = ?2", modelName, alias).firstResultOptional();
    }

    /** Every alias of the model, by name. */
    public List<ModelAliasEntity> ofModel(String modelName) {
        return list("modelName", Sort.ascending("alias"), modelName);
    }

    /** Every alias of these models, by model and name. */
    public List<ModelAliasEntity> ofModels(Collection<String> modelNames) {
        return modelNames.isEmpty() ? List.of()
                : list("modelName in ?1", Sort.ascending("modelName").and("alias"), modelNames);
    }
}
