package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tags of models, versions and runs. */
@ApplicationScoped
public class TagRepository implements PanacheRepositoryBase<TagEntity, Long> {

    /** The tags of one target as an ordered key → value map. */
    public Map<String, String> tags(TagTarget target, String targetKey) {
        Map<String, String> tags = new LinkedHashMap<>();
        list("targetType = ?1 and targetKey = ?2", Sort.ascending("key"), target.column(), targetKey)
                .forEach(t -> tags.put(t.key, t.value));
        return tags;
    }

    /** The tags of several targets of one type in one query (a page of a list): target key → key → value. */
    public Map<String, Map<String, String>> tagsOf(TagTarget target, Collection<String> targetKeys) {
        Map<String, Map<String, String>> tags = new HashMap<>();
        if (!targetKeys.isEmpty()) {
            list("targetType = ?1 and targetKey in ?2", Sort.ascending("key"), target.column(), targetKeys)
                    .forEach(t -> tags.computeIfAbsent(t.targetKey, k -> new LinkedHashMap<>()).put(t.key, t.value));
        }
        return tags;
    }

    public Optional<TagEntity> findTag(TagTarget target, String targetKey, String key) {
        return find("targetType = ?1 and targetKey = ?2 and key = ?3", target.column(), targetKey, key)
                .firstResultOptional();
    }

    /** Sets the tag, replacing the value of an existing one. */
    public TagEntity set(TagTarget target, String targetKey, String key, String value, Instant at) {
        TagEntity tag = findTag(target, targetKey, key).orElseGet(() -> {
            TagEntity t = new TagEntity();
            t.targetType = target.column();
            t.targetKey = targetKey;
            t.key = key;
            return t;
        });
        tag.value = value;
        tag.updatedAt = at;
        if (tag.id == null) {
            persist(tag);
        }
        return tag;
    }

    /** @return whether there was such a tag */
    public boolean remove(TagTarget target, String targetKey, String key) {
        return delete("targetType = ?1 and targetKey = ?2 and key = ?3", target.column(), targetKey, key) > 0;
    }

    /** Every tag of every target of one type whose key starts with {@code keyPrefix} (a model's versions). */
    public List<TagEntity> withKeyPrefix(TagTarget target, String targetKeyPrefix) {
        return list("targetType = ?1 and targetKey like ?2", Sort.ascending("targetKey").and("key"), target.column(),
                targetKeyPrefix.replace("%", "\\%").replace("_", "\\_") + "%");
    }
}
