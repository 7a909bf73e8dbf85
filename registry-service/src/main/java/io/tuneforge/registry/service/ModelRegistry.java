package io.tuneforge.registry.service;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.registry.AliasSet;
import io.tuneforge.contracts.registry.ModelVersionRegistered;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.ModelNames;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.registry.messaging.Outbox;
import io.tuneforge.registry.persistence.ModelAliasEntity;
import io.tuneforge.registry.persistence.ModelAliasRepository;
import io.tuneforge.registry.persistence.ModelVersionEntity;
import io.tuneforge.registry.persistence.ModelVersionRepository;
import io.tuneforge.registry.persistence.ModelVersionStatus;
import io.tuneforge.registry.persistence.RegisteredModelEntity;
import io.tuneforge.registry.persistence.RegisteredModelRepository;
import io.tuneforge.registry.rest.ProblemException;
import io.tuneforge.servicekit.storage.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Registered models and their versions and aliases (MLflow's model registry). A TrainingCompleted files a new
 * version under {@code request.modelName}: numbered one above the highest so far (the model's row is locked, so two
 * replicas cannot hand out the same number), {@link ModelVersionStatus#PENDING_REGISTRATION} until
 * {@link VersionRegistrar} finds its artifact. Setting an alias emits AliasSet through the outbox.
 */
@ApplicationScoped
public class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final ModelAliasRepository aliases;
    private final Outbox outbox;
    private final StorageConfig storage;

    public ModelRegistry(RegisteredModelRepository models, ModelVersionRepository versions,
                         ModelAliasRepository aliases, Outbox outbox, StorageConfig storage) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
        this.outbox = outbox;
        this.storage = storage;
    }

    /**
     * Files the result of a run as a new version, inside the event's transaction. A run registers at most one
     * version: a second TrainingCompleted for the same run (under another event id) changes nothing.
     *
     * @return the new version; empty when the run already has one
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<ModelVersionEntity> registerFrom(String eventId, Instant time, TrainingCompleted completed) {
        Optional<ModelVersionEntity> existing = versions.byRun(completed.runId());
        if (existing.isPresent()) {
            ModelVersionEntity v = existing.get();
            LOG.warnf("Run %s already registered %s version %d (event %s); event %s is ignored",
                    completed.runId(), v.modelName, v.version, v.eventId, eventId);
            return Optional.empty();
        }
        TrainingRequest request = completed.request();
        String name = request.modelName() != null ? request.modelName() : ModelNames.fromBaseModel(request.baseModel());
        RegisteredModelEntity model = models.lock(name).orElseGet(() -> create(name, time));
        if (time.isAfter(model.updatedAt)) {
            model.updatedAt = time;
        }

        ModelVersionEntity v = new ModelVersionEntity();
        v.modelName = name;
        v.version = versions.nextVersion(name);
        v.runId = completed.runId();
        v.baseModel = request.baseModel();
        v.metrics = Json.write(completed.metrics() == null ? Map.of() : completed.metrics());
        v.eventId = eventId;
        v.createdAt = time;
        v.updatedAt = time;
        v.status = ModelVersionStatus.PENDING_REGISTRATION;
        if (completed.adapter() != null) {
            v.sourceUri = completed.adapter().uri();
            v.sourceKind = ModelVersionEntity.KIND_ADAPTER;
            v.statusMessage = "waiting for the adapter to be found in the store";
        } else if (completed.model() != null) {
            v.sourceUri = completed.model().uri();
            v.sourceKind = ModelVersionEntity.KIND_MODEL;
            v.statusMessage = "waiting for the model to be found in the store";
        } else {
            v.sourceUri = ObjectKeys.uri(storage.bucket(), ObjectKeys.runAdapter(completed.runId()));
            v.sourceKind = ModelVersionEntity.KIND_ADAPTER;
            v.statusMessage = "TrainingCompleted named neither an adapter nor a model; looking for the adapter at its"
                    + " usual place";
        }
        versions.persist(v);
        LOG.infof("Registered %s version %d from run %s (%s), pending its artifact check", name, v.version,
                v.runId, v.sourceUri);
        return Optional.of(v);
    }

    /**
     * Ends the registration of a pending version and emits ModelVersionRegistered with the outcome.
     *
     * @return false when the version is no longer pending (another replica finished it)
     */
    @Transactional
    public boolean finishRegistration(long versionId, ModelVersionStatus outcome, String message) {
        // Locked: two replicas checking the same version cannot both end it (and announce it twice).
        ModelVersionEntity v = versions.findById(versionId, LockModeType.PESSIMISTIC_WRITE);
        if (v == null || v.status != ModelVersionStatus.PENDING_REGISTRATION) {
            return false;
        }
        v.status = outcome;
        v.statusMessage = message;
        v.updatedAt = Instant.now();
        outbox.add(new ModelVersionRegistered(1, v.modelName, v.version, v.runId, v.sourceUri, v.baseModel,
                outcome.name()));
        return true;
    }

    /** Notes why a pending version is still pending (store unreachable), without ending it. */
    @Transactional
    public void stillPending(long versionId, String message) {
        ModelVersionEntity v = versions.findById(versionId);
        if (v != null && v.status == ModelVersionStatus.PENDING_REGISTRATION) {
            v.statusMessage = message;
        }
    }

    /**
     * Points {@code alias} of the model at {@code version} (moving it if it pointed elsewhere) and emits AliasSet.
     *
     * @throws ProblemException 404 for an unknown model or version, 400 for a bad alias name
     */
    @Transactional
    public ModelAliasEntity setAlias(String modelName, String alias, int version) {
        RegistryNames.alias(alias);
        requireModel(modelName);
        requireVersion(modelName, version);
        ModelAliasEntity a = aliases.findAlias(modelName, alias).orElseGet(() -> {
            ModelAliasEntity created = new ModelAliasEntity();
            created.modelName = modelName;
            created.alias = alias;
            return created;
        });
        a.version = version;
        a.updatedAt = Instant.now();
        if (a.id == null) {
            aliases.persist(a);
        }
        outbox.add(new AliasSet(1, modelName, alias, version));
        LOG.infof("Alias %s of %s now points at version %d", alias, modelName, version);
        return a;
    }

    /** @throws ProblemException 404 when the model has no such alias */
    @Transactional
    public void deleteAlias(String modelName, String alias) {
        requireModel(modelName);
        ModelAliasEntity a = aliases.findAlias(modelName, alias).orElseThrow(() -> ProblemException.notFound(
                "Model '" + modelName + "' has no alias '" + alias + "'; its aliases are "
                        + aliases.ofModel(modelName).stream().map(x -> x.alias).toList()));
        aliases.delete(a);
    }

    /** @throws ProblemException 404 naming the unknown model */
    public RegisteredModelEntity requireModel(String modelName) {
        return models.findByIdOptional(modelName).orElseThrow(() -> ProblemException.notFound(
                "No registered model named '" + modelName + "'; GET /api/models lists them"));
    }

    /** @throws ProblemException 404 naming the unknown version and the versions that exist */
    public ModelVersionEntity requireVersion(String modelName, int version) {
        return versions.findVersion(modelName, version).orElseThrow(() -> ProblemException.notFound(
                "Model '" + modelName + "' has no version " + version + "; its versions are "
                        + versions.versions(modelName).stream().map(v -> v.version).sorted().toList()));
    }

    private RegisteredModelEntity create(String name, Instant time) {
        RegisteredModelEntity m = new RegisteredModelEntity();
        m.name = name;
        m.createdAt = time;
        m.updatedAt = time;
        models.persist(m);
        return m;
    }
}
