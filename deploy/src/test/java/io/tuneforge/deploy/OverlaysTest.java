package io.tuneforge.deploy;

import static io.tuneforge.deploy.RenderedOverlays.NAMESPACE;
import static io.tuneforge.deploy.RenderedOverlays.REPOSITORY;
import static io.tuneforge.deploy.RenderedOverlays.SERVICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Renders every overlay with {@code kubectl kustomize} and checks what comes out. */
class OverlaysTest {

    /**
     * The one allow-list of Secrets that an overlay may refer to without rendering them: created by the cluster's
     * operator before {@code kubectl apply} (deploy/README.md says how), with the keys the pods read. Strimzi's own
     * Secrets (one per KafkaUser, the cluster CA) are derived from the rendered Kafka and KafkaUser objects. The dev
     * overlay generates all of these, so it gets none of them.
     */
    static final Map<String, Set<String>> OPERATOR_PROVIDED_SECRETS = Map.of(
            "tuneforge-minio-root", Set.of("root-user", "root-password"),
            "tuneforge-storage", Set.of("access-key", "secret-key"),
            "tuneforge-postgres", Set.of("password"),
            "tuneforge-registry-auth", Set.of("admin-token"),
            "tuneforge-augment-llm", Set.of("api-key"));

    static final String TRAINER = "trainer-service";

    @ParameterizedTest(name = "overlays/{0}")
    @ValueSource(strings = {"dev", "production", "gpu"})
    void everyOverlayRendersAndHolds(String overlay) throws Exception {
        Manifests m = RenderedOverlays.overlay(overlay);
        String runLog = ServiceMessaging.setting(REPOSITORY, TRAINER, ServiceMessaging.RUN_LOG_KEY);

        List<String> problems = new ArrayList<>();
        problems.addAll(ManifestChecks.workloads(m));
        problems.addAll(ManifestChecks.labels(m, SERVICES));
        problems.addAll(ManifestChecks.startupProbes(m, List.of(TRAINER, "eval-service")));
        problems.addAll(ManifestChecks.references(m, "dev".equals(overlay) ? Map.of() : OPERATOR_PROVIDED_SECRETS));
        problems.addAll(ManifestChecks.topics(m, contractTopics(runLog)));
        problems.addAll(ManifestChecks.partitions(m, Topics.TRAINING_COMMANDS, TRAINER, runLog));
        for (String service : SERVICES) {
            problems.addAll(ManifestChecks.kafkaAccess(m, ServiceMessaging.load(REPOSITORY, service)));
        }
        problems.addAll(ManifestChecks.gpu(m, "gpu".equals(overlay) ? Set.of("Deployment/" + TRAINER) : Set.of()));
        problems.addAll(ManifestChecks.networkPolicies(m));
        problems.addAll(ManifestChecks.namespace(m, NAMESPACE));
        assertEquals(List.of(), problems, "overlays/" + overlay + " rendered, but:");
        assertEquals(new TreeSet<>(SERVICES), m.names("Deployment"), "the Deployments of overlays/" + overlay);
    }

    @ParameterizedTest(name = "overlays/{0}")
    @ValueSource(strings = {"production", "gpu"})
    void productionSpreadsAndProtectsEachService(String overlay) throws Exception {
        Manifests m = RenderedOverlays.overlay(overlay);
        assertEquals(new TreeSet<>(SERVICES), m.names("PodDisruptionBudget"), "a PodDisruptionBudget per service");
        for (String service : SERVICES) {
            JsonNode d = m.find("Deployment", service).orElseThrow();
            assertTrue(d.path("spec").path("replicas").asInt(1) >= 2,
                    service + " has " + d.path("spec").path("replicas") + " replicas in " + overlay + ", expected 2+");
            assertTrue(Manifests.podSpec(d).path("affinity").has("podAntiAffinity"),
                    service + " has no podAntiAffinity in " + overlay);
        }
        assertEquals(Set.of(), m.names("Secret"), overlay + " must carry no Secrets: the cluster's operator creates them");
        Set<String> scaled = new TreeSet<>();
        m.ofKind("HorizontalPodAutoscaler").forEach(h -> scaled.add(h.path("spec").path("scaleTargetRef")
                .path("name").asText()));
        assertEquals(Set.of("data-service", "augment-service", "registry-service"), scaled,
                "HPAs of the stateless services (trainer and eval scale by replicas)");
    }

    @ParameterizedTest(name = "overlays/{0}")
    @ValueSource(strings = {"dev"})
    void devRunsOneOfEverything(String overlay) throws Exception {
        Manifests m = RenderedOverlays.overlay(overlay);
        m.workloads().filter(w -> !"Job".equals(w.path("kind").asText())).forEach(w -> assertEquals(1,
                w.path("spec").path("replicas").asInt(), Manifests.id(w) + " replicas in dev"));
        assertEquals(1, m.find("KafkaNodePool", "dual-role").orElseThrow().path("spec").path("replicas").asInt(),
                "Kafka nodes in dev");
        JsonNode config = m.find("Kafka", "tuneforge").orElseThrow().path("spec").path("kafka").path("config");
        assertEquals(1, config.path("default.replication.factor").asInt(), "replication factor with one broker");
        assertEquals(1, config.path("min.insync.replicas").asInt(), "min.insync.replicas with one broker");
        assertEquals(OPERATOR_PROVIDED_SECRETS.keySet().size(), m.names("Secret").size(),
                "dev generates each operator-provided Secret: " + m.names("Secret"));
    }

    /** Every topic of libs/contracts, its dead-letter topic and the trainer's run log. */
    static List<String> contractTopics(String runLog) {
        List<String> topics = new ArrayList<>();
        for (String t : Topics.all()) {
            topics.add(t);
            topics.add(Topics.dlq(t));
        }
        topics.add(runLog);
        return topics;
    }
}
