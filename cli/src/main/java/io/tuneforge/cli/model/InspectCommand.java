package io.tuneforge.cli.model;

import io.tuneforge.contracts.Json;
import io.tuneforge.tuning.export.gguf.GgufFile;
import io.tuneforge.tuning.export.gguf.GgufReader;
import io.tuneforge.tuning.export.gguf.GgufTensorInfo;
import io.tuneforge.tuning.export.gguf.GgufValue;
import io.tuneforge.tuning.export.gguf.GgufValueType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge model inspect FILE.gguf}: the header, metadata (arrays summarised: type, length, first entries),
 * tensor table (name, type, shape, bytes) and totals of a GGUF file — ours or llama.cpp's (k-quant types are named
 * and sized, not decoded). {@code --json} prints the same as one JSON object.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a GGUF file's header, metadata, tensors and totals.")
public final class InspectCommand implements Callable<Integer> {

    static final int ARRAY_PREVIEW = 8;
    static final int STRING_PREVIEW = 120;

    @Parameters(index = "0", paramLabel = "FILE", description = "A .gguf file.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to this file instead of stdout.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("GGUF file " + file + " does not exist; give the path of a .gguf file");
        }
        GgufFile g = GgufReader.read(file);
        String text = json ? Json.write(asJson(g)) : asText(g);
        if (output != null) {
            Files.writeString(output, text + "\n", StandardCharsets.UTF_8);
        } else {
            System.out.println(text);
        }
        return 0;
    }

    static String asText(GgufFile g) {
        StringBuilder b = new StringBuilder();
        b.append("GGUF v").append(g.version()).append("  ").append(g.path()).append("  ").append(g.fileBytes())
                .append(" bytes\n");
        b.append("\nmetadata (").append(g.metadata().size()).append(" entries)\n");
        g.metadata().forEach((k, v) -> b.append("  ").append(k).append(" = ").append(summary(v)).append('\n'));
        b.append("\ntensors (").append(g.tensors().size()).append(")\n");
        int width = g.tensors().stream().mapToInt(t -> t.name().length()).max().orElse(4);
        b.append(String.format("  %-" + width + "s  %-6s  %-16s  %12s%n", "name", "type", "shape", "bytes"));
        long bytes = 0;
        for (GgufTensorInfo t : g.tensors()) {
            b.append(String.format("  %-" + width + "s  %-6s  %-16s  %12s%n", t.name(), t.typeLabel(),
                    Arrays.toString(t.shape()), t.byteSize() < 0 ? "?" : Long.toString(t.byteSize())));
            bytes += Math.max(0, t.byteSize());
        }
        b.append(String.format("%ntotal: %d tensors, %,d parameters, %,d bytes of tensor data (data starts at %d)",
                g.tensors().size(), g.parameterCount(), bytes, g.dataStart()));
        return b.toString();
    }

    /** A value on one line: strings quoted and cut, arrays as {@code [string × 320] "a", "b", …}. */
    static String summary(GgufValue v) {
        if (v.type() == GgufValueType.ARRAY) {
            List<?> list = v.asList();
            List<String> head = new ArrayList<>();
            for (int i = 0; i < Math.min(ARRAY_PREVIEW, list.size()); i++) {
                head.add(scalar(list.get(i)));
            }
            return "[" + v.elementType().name().toLowerCase() + " × " + list.size() + "] " + String.join(", ", head)
                    + (list.size() > ARRAY_PREVIEW ? ", …" : "");
        }
        Object value = v.type() == GgufValueType.FLOAT32 ? (Object) (float) v.asDouble() : v.value();
        return scalar(value) + "  (" + v.type().name().toLowerCase() + ")";
    }

    private static String scalar(Object o) {
        if (o instanceof String s) {
            String cut = s.length() > STRING_PREVIEW ? s.substring(0, STRING_PREVIEW) + "…" : s;
            return Json.write(cut) + (s.length() > STRING_PREVIEW ? " (" + s.length() + " chars)" : "");
        }
        return String.valueOf(o);
    }

    static Map<String, Object> asJson(GgufFile g) {
        Map<String, Object> meta = new LinkedHashMap<>();
        g.metadata().forEach((k, v) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", v.type().name().toLowerCase());
            if (v.type() == GgufValueType.ARRAY) {
                m.put("elementType", v.elementType().name().toLowerCase());
                m.put("count", v.asList().size());
                m.put("first", v.asList().subList(0, Math.min(ARRAY_PREVIEW, v.asList().size())));
            } else {
                m.put("value", v.value());
            }
            meta.put(k, m);
        });
        List<Map<String, Object>> tensors = new ArrayList<>();
        long bytes = 0;
        for (GgufTensorInfo t : g.tensors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("type", t.typeLabel());
            m.put("shape", t.shape());
            m.put("offset", t.offset());
            m.put("bytes", t.byteSize());
            tensors.add(m);
            bytes += Math.max(0, t.byteSize());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", g.path().toString());
        out.put("version", g.version());
        out.put("fileBytes", g.fileBytes());
        out.put("metadata", meta);
        out.put("tensors", tensors);
        out.put("tensorCount", g.tensors().size());
        out.put("parameterCount", g.parameterCount());
        out.put("tensorBytes", bytes);
        return out;
    }
}
