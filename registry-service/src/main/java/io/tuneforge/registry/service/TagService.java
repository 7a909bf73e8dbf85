package io.tuneforge.registry.service;

import io.tuneforge.registry.persistence.RunRepository;
import io.tuneforge.registry.persistence.TagRepository;
import io.tuneforge.registry.persistence.TagTarget;
import io.tuneforge.registry.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Map;

/** Sets and deletes tags on models, model versions and runs, after checking that the target exists. */
@ApplicationScoped
public class TagService {

    private final TagRepository tags;
    private final ModelRegistry registry;
    private final RunRepository runs;

    public TagService(TagRepository tags, ModelRegistry registry, RunRepository runs) {
        this.tags = tags;
        this.registry = registry;
        this.runs = runs;
    }

    /** Sets a tag and returns every tag of the target afterwards. */
    @Transactional
    public Map<String, String> set(TagTarget target, String targetKey, String key, String value) {
        requireTarget(target, targetKey);
        RegistryNames.tagKey(key);
        RegistryNames.tagValue(key, value);
        tags.set(target, targetKey, key, value, Instant.now());
        return tags.tags(target, targetKey);
    }

    /** @throws ProblemException 404 when the target or the tag does not exist */
    @Transactional
    public void delete(TagTarget target, String targetKey, String key) {
        requireTarget(target, targetKey);
        if (!tags.remove(target, targetKey, key)) {
            throw ProblemException.notFound("The " + target.column() + " '" + targetKey + "' has no tag '" + key
                    + "'; its tags are " + tags.tags(target, targetKey).keySet());
        }
    }

    private void requireTarget(TagTarget target, String targetKey) {
        switch (target) {
            case MODEL -> registry.requireModel(targetKey);
            case VERSION -> {
                int slash = targetKey.lastIndexOf('/');
                registry.requireVersion(targetKey.substring(0, slash), Integer.parseInt(targetKey.substring(slash + 1)));
            }
            case RUN -> {
                if (runs.findById(targetKey) == null) {
                    throw ProblemException.notFound("No run with id '" + targetKey + "'; GET /api/runs lists the"
                            + " runs the registry knows");
                }
            }
        }
    }
}
