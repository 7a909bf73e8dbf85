package io.tuneforge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a rendered overlay must satisfy. Each check returns the problems it found, one sentence each naming the object
 * and what would be right; an empty list means the check holds.
 */
final class ManifestChecks {

    static final List<String> RECOMMENDED_LABELS = List.of("app.kubernetes.io/name", "app.kubernetes.io/component",
            "app.kubernetes.io/part-of", "app.kubernetes.io/version");
    static final String GPU = "nvidia.com/gpu";
    /** Keys of the Secret that Strimzi's User Operator writes for a SCRAM-SHA-512 KafkaUser. */
    static final Set<String> KAFKA_USER_SECRET_KEYS = Set.of("password", "sasl.jaas.config");
    /** Keys of the Secret {@code <cluster>-cluster-ca-cert} that Strimzi's Cluster Operator writes. */
    static final Set<String> CLUSTER_CA_SECRET_KEYS = Set.of("ca.crt", "ca.p12", "ca.password");

    private ManifestChecks() {
    }

    /**
     * Every container of a Deployment, StatefulSet or Job has a pinned image and CPU + memory requests and limits;
     * Deployments and StatefulSets have liveness and readiness probes; pods run non-root with a read-only root file
     * system and a writable /tmp.
     */
    static List<String> workloads(Manifests m) {
        List<String> problems = new ArrayList<>();
        m.workloads().forEach(w -> {
            boolean longRunning = !"Job".equals(w.path("kind").asText());
            boolean podNonRoot = Manifests.podSpec(w).path("securityContext").path("runAsNonRoot").asBoolean(false);
            for (JsonNode c : Manifests.containers(w)) {
                String where = Manifests.id(w) + " container " + c.path("name").asText();
                String image = c.path("image").asText("");
                if (image.isEmpty()) {
                    problems.add(where + " has no image");
                } else if (!image.contains("@") && (!image.substring(image.lastIndexOf('/') + 1).contains(":")
                        || image.endsWith(":latest"))) {
                    problems.add(where + " image " + image + " has no pinned tag: give name:version or a digest");
                }
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        if (c.path("resources").path(bound).path(resource).asText("").isEmpty()) {
                            problems.add(where + " has no resources." + bound + "." + resource);
                        }
                    }
                }
                if (longRunning) {
                    for (String probe : List.of("livenessProbe", "readinessProbe")) {
                        if (c.path(probe).isMissingNode() || c.path(probe).isEmpty()) {
                            problems.add(where + " has no " + probe);
                        }
                    }
                }
                JsonNode sc = c.path("securityContext");
                if (!podNonRoot && !sc.path("runAsNonRoot").asBoolean(false)) {
                    problems.add(where + " may run as root: set securityContext.runAsNonRoot: true");
                }
                if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                    problems.add(where + " has a writable root file system: set readOnlyRootFilesystem: true");
                } else if (!mountPaths(c).contains("/tmp")) {
                    problems.add(where + " has a read-only root file system but no volume at /tmp");
                }
                if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
                    problems.add(where + " allows privilege escalation: set allowPrivilegeEscalation: false");
                }
            }
        });
        return problems;
    }

    /** The services' Deployments carry the four app.kubernetes.io labels on themselves and on their pods. */
    static List<String> labels(Manifests m, Collection<String> services) {
        List<String> problems = new ArrayList<>();
        for (String service : services) {
            Optional<JsonNode> d = m.find("Deployment", service);
            if (d.isEmpty()) {
                problems.add("no Deployment/" + service + " in " + m.source());
                continue;
            }
            for (String label : RECOMMENDED_LABELS) {
                if (d.get().path("metadata").path("labels").path(label).asText("").isEmpty()) {
                    problems.add("Deployment/" + service + " has no label " + label);
                }
                if (Manifests.podLabels(d.get()).path(label).asText("").isEmpty()) {
                    problems.add("Deployment/" + service + " pod template has no label " + label);
                }
            }
        }
        return problems;
    }

    /** Services that load models have a startupProbe, so a slow first start is not killed by liveness. */
    static List<String> startupProbes(Manifests m, Collection<String> services) {
        List<String> problems = new ArrayList<>();
        for (String service : services) {
            m.find("Deployment", service).ifPresent(d -> {
                for (JsonNode c : Manifests.containers(d)) {
                    if (c.path("startupProbe").isMissingNode()) {
                        problems.add("Deployment/" + service + " container " + c.path("name").asText()
                                + " loads models but has no startupProbe");
                    }
                }
            });
        }
        return problems;
    }

    /**
     * Every Secret and ConfigMap a pod refers to (env, envFrom, volumes), and every key it reads from one, exists in
     * the output, or is written by Strimzi (a KafkaUser's Secret, the cluster CA), or is in {@code external}: Secrets
     * that the operator of the cluster creates (production), with the keys they must hold.
     */
    static List<String> references(Manifests m, Map<String, Set<String>> external) {
        Map<String, Set<String>> secrets = new java.util.HashMap<>(external);
        m.ofKind("Secret").forEach(s -> secrets.put(Manifests.name(s), keys(s)));
        m.ofKind("KafkaUser").forEach(u -> secrets.put(Manifests.name(u), KAFKA_USER_SECRET_KEYS));
        m.ofKind("Kafka").forEach(k -> secrets.put(Manifests.name(k) + "-cluster-ca-cert", CLUSTER_CA_SECRET_KEYS));
        Map<String, Set<String>> configMaps = new java.util.HashMap<>();
        m.ofKind("ConfigMap").forEach(c -> configMaps.put(Manifests.name(c), keys(c)));

        List<String> problems = new ArrayList<>();
        m.workloads().forEach(w -> {
            for (JsonNode c : Manifests.containers(w)) {
                String where = Manifests.id(w) + " container " + c.path("name").asText();
                for (JsonNode e : c.path("env")) {
                    JsonNode from = e.path("valueFrom");
                    checkKeyRef(problems, where + " env " + e.path("name").asText(), "Secret",
                            from.path("secretKeyRef"), secrets);
                    checkKeyRef(problems, where + " env " + e.path("name").asText(), "ConfigMap",
                            from.path("configMapKeyRef"), configMaps);
                }
                for (JsonNode e : c.path("envFrom")) {
                    checkName(problems, where + " envFrom", "Secret", e.path("secretRef"), "name", secrets);
                    checkName(problems, where + " envFrom", "ConfigMap", e.path("configMapRef"), "name", configMaps);
                }
            }
            for (JsonNode v : Manifests.podSpec(w).path("volumes")) {
                String where = Manifests.id(w) + " volume " + v.path("name").asText();
                checkName(problems, where, "Secret", v.path("secret"), "secretName", secrets);
                checkName(problems, where, "ConfigMap", v.path("configMap"), "name", configMaps);
                for (JsonNode item : v.path("secret").path("items")) {
                    Set<String> known = secrets.get(v.path("secret").path("secretName").asText());
                    if (known != null && !known.contains(item.path("key").asText())) {
                        problems.add(where + " reads key " + item.path("key").asText() + " that Secret "
                                + v.path("secret").path("secretName").asText() + " does not have; it has " + known);
                    }
                }
            }
        });
        return problems;
    }

    private static void checkKeyRef(List<String> problems, String where, String kind, JsonNode ref,
            Map<String, Set<String>> known) {
        if (ref.isMissingNode() || ref.path("optional").asBoolean(false)) {
            return;
        }
        String name = ref.path("name").asText();
        Set<String> keys = known.get(name);
        if (keys == null) {
            problems.add(where + " refers to " + kind + " " + name + ", which is neither rendered nor provided by an "
                    + "operator; known: " + new java.util.TreeSet<>(known.keySet()));
        } else if (!keys.contains(ref.path("key").asText())) {
            problems.add(where + " reads key " + ref.path("key").asText() + " of " + kind + " " + name
                    + ", which has only " + new java.util.TreeSet<>(keys));
        }
    }

    private static void checkName(List<String> problems, String where, String kind, JsonNode ref, String field,
            Map<String, Set<String>> known) {
        if (ref.isMissingNode() || ref.path("optional").asBoolean(false)) {
            return;
        }
        String name = ref.path(field).asText();
        if (!known.containsKey(name)) {
            problems.add(where + " refers to " + kind + " " + name + ", which is neither rendered nor provided by an "
                    + "operator; known: " + new java.util.TreeSet<>(known.keySet()));
        }
    }

    /** Each topic has a KafkaTopic that names an existing Kafka cluster in its strimzi.io/cluster label. */
    static List<String> topics(Manifests m, Collection<String> topics) {
        Set<String> clusters = m.names("Kafka");
        List<String> problems = new ArrayList<>();
        for (String topic : topics) {
            Optional<JsonNode> t = kafkaTopic(m, topic);
            if (t.isEmpty()) {
                problems.add("no KafkaTopic for topic " + topic + " in " + m.source());
            } else if (!clusters.contains(t.get().path("metadata").path("labels").path("strimzi.io/cluster").asText())) {
                problems.add("KafkaTopic " + topic + " has label strimzi.io/cluster="
                        + t.get().path("metadata").path("labels").path("strimzi.io/cluster").asText()
                        + ", expected one of the Kafka clusters " + clusters);
            }
        }
        return problems;
    }

    /**
     * The commands topic has at least as many partitions as the consuming Deployment can have replicas (its
     * replicas, or its HPA's maximum); the run log has exactly one partition and is kept forever.
     */
    static List<String> partitions(Manifests m, String commandsTopic, String consumer, String runLogTopic) {
        List<String> problems = new ArrayList<>();
        int replicas = m.find("Deployment", consumer).map(d -> d.path("spec").path("replicas").asInt(1)).orElse(0);
        int max = m.ofKind("HorizontalPodAutoscaler")
                .filter(h -> consumer.equals(h.path("spec").path("scaleTargetRef").path("name").asText()))
                .mapToInt(h -> h.path("spec").path("maxReplicas").asInt()).max().orElse(replicas);
        kafkaTopic(m, commandsTopic).ifPresent(t -> {
            int partitions = t.path("spec").path("partitions").asInt(0);
            if (partitions < Math.max(replicas, max)) {
                problems.add("KafkaTopic " + commandsTopic + " has " + partitions + " partitions but " + consumer
                        + " can run " + Math.max(replicas, max) + " replicas: give it at least that many");
            }
        });
        kafkaTopic(m, runLogTopic).ifPresent(t -> {
            if (t.path("spec").path("partitions").asInt(0) != 1) {
                problems.add("KafkaTopic " + runLogTopic + " has " + t.path("spec").path("partitions").asInt(0)
                        + " partitions; the run log needs exactly 1 (one order for all replicas)");
            }
            if (!"-1".equals(t.path("spec").path("config").path("retention.ms").asText())) {
                problems.add("KafkaTopic " + runLogTopic + " has retention.ms="
                        + t.path("spec").path("config").path("retention.ms").asText()
                        + "; the run log must be kept forever (-1)");
            }
        });
        return problems;
    }

    /**
     * A service's KafkaUser may do what its application.properties asks: Read on the topics it consumes and its
     * groups, Write on the topics it produces to (dead-letter topics included), each of which has a KafkaTopic.
     */
    static List<String> kafkaAccess(Manifests m, ServiceMessaging s) {
        List<String> problems = new ArrayList<>(topics(m, union(s.reads(), s.writes())));
        Optional<JsonNode> user = m.find("KafkaUser", s.service());
        if (user.isEmpty()) {
            problems.add("no KafkaUser " + s.service() + " in " + m.source());
            return problems;
        }
        JsonNode acls = user.get().path("spec").path("authorization").path("acls");
        s.reads().forEach(t -> requireAcl(problems, s.service(), acls, "topic", t, "Read"));
        s.writes().forEach(t -> requireAcl(problems, s.service(), acls, "topic", t, "Write"));
        s.groups().forEach(g -> requireAcl(problems, s.service(), acls, "group", g, "Read"));
        return problems;
    }

    private static void requireAcl(List<String> problems, String user, JsonNode acls, String type, String name,
            String operation) {
        for (JsonNode acl : acls) {
            JsonNode r = acl.path("resource");
            boolean matches = type.equals(r.path("type").asText()) && ("prefix".equals(r.path("patternType").asText())
                    ? name.startsWith(r.path("name").asText()) : name.equals(r.path("name").asText()));
            Set<String> ops = new HashSet<>();
            acl.path("operations").forEach(o -> ops.add(o.asText()));
            ops.add(acl.path("operation").asText());
            if (matches && (ops.contains(operation) || ops.contains("All"))) {
                return;
            }
        }
        problems.add("KafkaUser " + user + " has no ACL allowing " + operation + " on " + type + " " + name
                + ", which its application.properties uses");
    }

    /**
     * Exactly the workloads in {@code expected} ask for a GPU, and those select GPU nodes, tolerate their taint and
     * tell DJL where the CUDA libtorch is.
     */
    static List<String> gpu(Manifests m, Set<String> expected) {
        List<String> problems = new ArrayList<>();
        Set<String> asking = new HashSet<>();
        m.workloads().forEach(w -> {
            for (JsonNode c : Manifests.containers(w)) {
                if (c.path("resources").path("limits").has(GPU) || c.path("resources").path("requests").has(GPU)) {
                    asking.add(Manifests.id(w));
                }
            }
        });
        for (String id : asking) {
            if (!expected.contains(id)) {
                problems.add(id + " asks for " + GPU + "; only " + expected + " should");
            }
        }
        for (String id : expected) {
            if (!asking.contains(id)) {
                problems.add(id + " asks for no " + GPU + " in " + m.source());
                continue;
            }
            String[] kindName = id.split("/", 2);
            JsonNode w = m.find(kindName[0], kindName[1]).orElseThrow();
            JsonNode pod = Manifests.podSpec(w);
            if (pod.path("nodeSelector").isEmpty() && pod.path("affinity").path("nodeAffinity").isMissingNode()) {
                problems.add(id + " asks for a GPU but selects no GPU nodes (nodeSelector or nodeAffinity)");
            }
            boolean tolerates = false;
            for (JsonNode t : pod.path("tolerations")) {
                tolerates |= GPU.equals(t.path("key").asText());
            }
            if (!tolerates) {
                problems.add(id + " asks for a GPU but tolerates no " + GPU + " taint");
            }
            boolean libtorch = false;
            for (JsonNode c : Manifests.containers(w)) {
                for (JsonNode e : c.path("env")) {
                    libtorch |= "PYTORCH_LIBRARY_PATH".equals(e.path("name").asText());
                }
            }
            if (!libtorch) {
                problems.add(id + " asks for a GPU but sets no PYTORCH_LIBRARY_PATH (docs/gpu.md)");
            }
        }
        return problems;
    }

    /**
     * A default-deny policy (all pods, Ingress and Egress, no rules) exists, and every workload is selected by a
     * policy of its own that states both its Ingress and its Egress.
     */
    static List<String> networkPolicies(Manifests m) {
        List<String> problems = new ArrayList<>();
        boolean defaultDeny = m.ofKind("NetworkPolicy").anyMatch(p -> p.path("spec").path("podSelector").isEmpty()
                && types(p).containsAll(Set.of("Ingress", "Egress"))
                && p.path("spec").path("ingress").isEmpty() && p.path("spec").path("egress").isEmpty());
        if (!defaultDeny) {
            problems.add("no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules) in "
                    + m.source());
        }
        m.workloads().forEach(w -> {
            JsonNode labels = Manifests.podLabels(w);
            boolean own = m.ofKind("NetworkPolicy").anyMatch(p -> {
                JsonNode match = p.path("spec").path("podSelector").path("matchLabels");
                if (match.isEmpty() || !types(p).containsAll(Set.of("Ingress", "Egress"))) {
                    return false;
                }
                for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) match::fields) {
                    if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                        return false;
                    }
                }
                return true;
            });
            if (!own) {
                problems.add(Manifests.id(w) + " is selected by no NetworkPolicy of its own (matchLabels of its pod "
                        + "labels, policyTypes Ingress and Egress): default-deny alone cuts it off");
            }
        });
        return problems;
    }

    /** Every namespaced object is in {@code namespace}, and that Namespace is part of the output. */
    static List<String> namespace(Manifests m, String namespace) {
        List<String> problems = new ArrayList<>();
        if (m.find("Namespace", namespace).isEmpty()) {
            problems.add("no Namespace " + namespace + " in " + m.source());
        }
        for (JsonNode o : m.all()) {
            if (!"Namespace".equals(o.path("kind").asText())
                    && !namespace.equals(o.path("metadata").path("namespace").asText())) {
                problems.add(Manifests.id(o) + " is in namespace '" + o.path("metadata").path("namespace").asText()
                        + "', expected " + namespace);
            }
        }
        return problems;
    }

    static Optional<JsonNode> kafkaTopic(Manifests m, String topic) {
        return m.ofKind("KafkaTopic").filter(t -> topic.equals(Manifests.topicName(t))).findFirst();
    }

    private static Set<String> keys(JsonNode secretOrConfigMap) {
        Set<String> keys = new HashSet<>();
        secretOrConfigMap.path("data").fieldNames().forEachRemaining(keys::add);
        secretOrConfigMap.path("stringData").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static Set<String> mountPaths(JsonNode container) {
        Set<String> paths = new HashSet<>();
        container.path("volumeMounts").forEach(v -> paths.add(v.path("mountPath").asText()));
        return paths;
    }

    private static Set<String> types(JsonNode policy) {
        Set<String> types = new HashSet<>();
        policy.path("spec").path("policyTypes").forEach(t -> types.add(t.asText()));
        return types;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
