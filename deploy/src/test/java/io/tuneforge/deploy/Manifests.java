package io.tuneforge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The objects of one rendered overlay, as Jackson trees, with the look-ups the checks need. */
final class Manifests {

    /** Kinds whose pod template the checks look into. */
    static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "Job");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String source;
    private final List<JsonNode> objects;

    Manifests(String source, List<JsonNode> objects) {
        this.source = source;
        this.objects = List.copyOf(objects);
    }

    /** Parses multi-document YAML (kubectl kustomize output); empty documents are skipped. */
    static Manifests parse(String source, String yaml) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && n.isObject() && n.has("kind")) {
                    objects.add(n);
                }
            }
        }
        return new Manifests(source, objects);
    }

    /** What was rendered (an overlay's directory), for messages. */
    String source() {
        return source;
    }

    List<JsonNode> all() {
        return objects;
    }

    Stream<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).filter(o -> name.equals(name(o))).findFirst();
    }

    Set<String> names(String kind) {
        Set<String> names = new TreeSet<>();
        ofKind(kind).forEach(o -> names.add(name(o)));
        return names;
    }

    Stream<JsonNode> workloads() {
        return objects.stream().filter(o -> WORKLOAD_KINDS.contains(o.path("kind").asText()));
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    /** "Deployment/trainer-service", for messages. */
    static String id(JsonNode o) {
        return o.path("kind").asText() + "/" + name(o);
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static JsonNode podLabels(JsonNode workload) {
        return workload.path("spec").path("template").path("metadata").path("labels");
    }

    /** Containers and init containers of a workload's pod template. */
    static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> all = new ArrayList<>();
        podSpec(workload).path("initContainers").forEach(all::add);
        podSpec(workload).path("containers").forEach(all::add);
        return all;
    }

    /** Topic name of a KafkaTopic: spec.topicName, else metadata.name (Strimzi's rule). */
    static String topicName(JsonNode kafkaTopic) {
        String explicit = kafkaTopic.path("spec").path("topicName").asText("");
        return explicit.isEmpty() ? name(kafkaTopic) : explicit;
    }
}
