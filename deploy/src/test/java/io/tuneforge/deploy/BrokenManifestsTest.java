package io.tuneforge.deploy;

import static io.tuneforge.deploy.RenderedOverlays.DEPLOY;
import static io.tuneforge.deploy.RenderedOverlays.NAMESPACE;
import static io.tuneforge.deploy.RenderedOverlays.REPOSITORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks fail on deliberately broken copies of the real manifests, each with a message that names the fault. */
class BrokenManifestsTest {

    @Test
    void aBrokenCopyOnDiskIsCaught(@TempDir Path copy) throws Exception {
        kubectlOrSkip();
        copyTree(DEPLOY.resolve("base"), copy.resolve("base"));
        copyTree(DEPLOY.resolve("overlays/dev"), copy.resolve("overlays/dev"));
        // 1) a dead-letter topic left out of the topic list 2) the dev overlay without its namespace: the generated
        // Secrets land outside it and the pods keep referring to names that do not exist.
        replace(copy.resolve("base/kafka/topics/kustomization.yaml"), "  - training.commands.dlq.yaml\n", "");
        replace(copy.resolve("overlays/dev/kustomization.yaml"), "\nnamespace: tuneforge\n", "\n");

        Manifests m = RenderedOverlays.render(copy.resolve("overlays/dev"));
        List<String> problems = new ArrayList<>();
        problems.addAll(ManifestChecks.topics(m, OverlaysTest.contractTopics("tuneforge.trainer.runs")));
        problems.addAll(ManifestChecks.references(m, Map.of()));
        problems.addAll(ManifestChecks.namespace(m, NAMESPACE));

        assertReported(problems, "no KafkaTopic for topic " + Topics.dlq(Topics.TRAINING_COMMANDS));
        assertReported(problems, "Deployment/registry-service container registry-service env "
                + "QUARKUS_DATASOURCE_PASSWORD refers to Secret tuneforge-postgres, which is neither rendered");
        assertReported(problems, "Job/minio-setup container mc env ROOT_USER refers to Secret tuneforge-minio-root");
        assertReported(problems, "Secret/tuneforge-storage-");
    }

    @Test
    void brokenWorkloadsAreCaught() throws Exception {
        Manifests m = RenderedOverlays.overlay("dev");
        ((ObjectNode) container(m, "data-service")).remove("readinessProbe");
        ((ObjectNode) container(m, "registry-service").path("resources").path("limits")).remove("memory");
        ((ObjectNode) container(m, "eval-service")).put("image", "ghcr.io/tuneforge/eval-service");
        ((ObjectNode) container(m, "augment-service").path("securityContext")).put("readOnlyRootFilesystem", false);
        ((ObjectNode) container(m, "trainer-service")).remove("startupProbe");
        ((ObjectNode) m.find("Deployment", "data-service").orElseThrow().path("metadata").path("labels"))
                .remove("app.kubernetes.io/version");

        List<String> problems = new ArrayList<>(ManifestChecks.workloads(m));
        problems.addAll(ManifestChecks.startupProbes(m, List.of("trainer-service", "eval-service")));
        problems.addAll(ManifestChecks.labels(m, RenderedOverlays.SERVICES));
        assertReported(problems, "Deployment/data-service container data-service has no readinessProbe");
        assertReported(problems, "Deployment/registry-service container registry-service has no resources.limits.memory");
        assertReported(problems, "Deployment/eval-service container eval-service image ghcr.io/tuneforge/eval-service "
                + "has no pinned tag");
        assertReported(problems, "Deployment/augment-service container augment-service has a writable root file system");
        assertReported(problems, "Deployment/trainer-service container trainer-service loads models but has no "
                + "startupProbe");
        assertReported(problems, "Deployment/data-service has no label app.kubernetes.io/version");
        assertEquals(6, problems.size(), "exactly the six faults: " + problems);
    }

    @Test
    void aGpuAnywhereButTheTrainerIsCaught() throws Exception {
        Manifests gpu = RenderedOverlays.overlay("gpu");
        ((ObjectNode) container(gpu, "eval-service").path("resources").path("limits")).put(ManifestChecks.GPU, 1);
        ((ObjectNode) container(gpu, "trainer-service").path("resources").path("limits")).remove(ManifestChecks.GPU);
        List<String> problems = ManifestChecks.gpu(gpu, Set.of("Deployment/trainer-service"));
        assertReported(problems, "Deployment/eval-service asks for nvidia.com/gpu; only [Deployment/trainer-service]");
        assertReported(problems, "Deployment/trainer-service asks for no nvidia.com/gpu");

        Manifests dev = RenderedOverlays.overlay("dev");
        assertEquals(List.of(), ManifestChecks.gpu(dev, Set.of()), "dev asks for no GPU");
        assertReported(ManifestChecks.gpu(dev, Set.of("Deployment/trainer-service")),
                "Deployment/trainer-service asks for no nvidia.com/gpu");
    }

    @Test
    void kafkaFaultsAreCaught() throws Exception {
        Manifests m = RenderedOverlays.overlay("production");
        JsonNode commands = ManifestChecks.kafkaTopic(m, Topics.TRAINING_COMMANDS).orElseThrow();
        ((ObjectNode) commands.path("spec")).put("partitions", 2);
        JsonNode runLog = ManifestChecks.kafkaTopic(m, "tuneforge.trainer.runs").orElseThrow();
        ((ObjectNode) runLog.path("spec")).put("partitions", 3);
        ((ObjectNode) runLog.path("spec").path("config")).put("retention.ms", 604800000);
        Iterator<JsonNode> acls = m.find("KafkaUser", "eval-service").orElseThrow()
                .path("spec").path("authorization").path("acls").elements();
        while (acls.hasNext()) {
            if (acls.next().path("resource").path("name").asText().equals(Topics.dlq(Topics.TRAINING_EVENTS))) {
                acls.remove();
            }
        }

        List<String> problems = new ArrayList<>(ManifestChecks.partitions(m, Topics.TRAINING_COMMANDS,
                "trainer-service", "tuneforge.trainer.runs"));
        problems.addAll(ManifestChecks.kafkaAccess(m, ServiceMessaging.load(REPOSITORY, "eval-service")));
        assertReported(problems, "KafkaTopic tuneforge.training.commands has 2 partitions but trainer-service can "
                + "run 3 replicas");
        assertReported(problems, "KafkaTopic tuneforge.trainer.runs has 3 partitions; the run log needs exactly 1");
        assertReported(problems, "KafkaTopic tuneforge.trainer.runs has retention.ms=604800000");
        assertReported(problems, "KafkaUser eval-service has no ACL allowing Write on topic "
                + "tuneforge.training.events.dlq");
        assertEquals(4, problems.size(), "exactly the four faults: " + problems);
    }

    @Test
    void aServiceWithoutItsOwnNetworkPolicyIsCaught() throws Exception {
        Manifests full = RenderedOverlays.overlay("dev");
        List<JsonNode> kept = full.all().stream()
                .filter(o -> !("NetworkPolicy".equals(o.path("kind").asText())
                        && Set.of("augment-service", "default-deny").contains(Manifests.name(o))))
                .toList();
        List<String> problems = ManifestChecks.networkPolicies(new Manifests("dev without two policies", kept));
        assertReported(problems, "no default-deny NetworkPolicy");
        assertReported(problems, "Deployment/augment-service is selected by no NetworkPolicy of its own");
        assertEquals(2, problems.size(), "exactly the two faults: " + problems);
    }

    private static void kubectlOrSkip() {
        RenderedOverlays.kubectl();
    }

    private static JsonNode container(Manifests m, String deployment) {
        return Manifests.containers(m.find("Deployment", deployment).orElseThrow()).get(0);
    }

    private static void assertReported(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing \"" + expected + "\", got: " + problems);
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        if (!text.contains(from)) {
            throw new IllegalStateException(file + " no longer contains \"" + from.strip() + "\": update this test");
        }
        Files.writeString(file, text.replace(from, to));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
