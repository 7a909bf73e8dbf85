package io.tuneforge.cli.models;

import io.tuneforge.tuning.model.ModelConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Hugging Face model directory the platform can fine-tune: {@code config.json} that {@link ModelConfig} reads (a
 * Llama-family architecture), weights as {@code *.safetensors} and a tokenizer ({@code tokenizer.json} or
 * {@code tokenizer.model}).
 *
 * @param dir        the directory
 * @param config     its parsed config.json
 * @param files      every regular file under it, as paths relative to it, in path order
 * @param totalBytes their total size
 */
record ModelDirectory(Path dir, ModelConfig config, List<Path> files, long totalBytes) {

    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer.model");

    /**
     * @throws IllegalArgumentException naming what is missing or unreadable and what a model directory holds
     */
    static ModelDirectory check(Path dir, String reservedName) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory; give a Hugging Face model directory"
                    + " (config.json, *.safetensors, tokenizer.json)");
        }
        Path configJson = dir.resolve("config.json");
        if (!Files.isRegularFile(configJson)) {
            throw new IllegalArgumentException(dir + " has no config.json; a Hugging Face model directory has"
                    + " config.json, *.safetensors and tokenizer.json");
        }
        ModelConfig config;
        try {
            config = ModelConfig.read(configJson);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(configJson + " is not a Llama-family config: " + e.getMessage()
                    + " (supported architectures: " + ModelConfig.SUPPORTED_ARCHITECTURES.keySet() + ")", e);
        }
        List<Path> files = new ArrayList<>();
        long total = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path relative = dir.relativize(p);
                if (relative.getFileName().toString().startsWith(".")) {
                    continue; // .git, .cache of huggingface-cli downloads
                }
                files.add(relative);
                total += Files.size(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (files.stream().noneMatch(f -> f.toString().endsWith(".safetensors"))) {
            throw new IllegalArgumentException(dir + " has no *.safetensors weights; convert .bin/.pth weights to"
                    + " safetensors first (the platform reads safetensors only)");
        }
        if (TOKENIZER_FILES.stream().noneMatch(t -> files.contains(Path.of(t)))) {
            throw new IllegalArgumentException(dir + " has no tokenizer (one of " + TOKENIZER_FILES + ")");
        }
        if (files.contains(Path.of(reservedName))) {
            throw new IllegalArgumentException(dir + " holds a file named " + reservedName + ", which the import"
                    + " writes itself as the marker of a whole upload; move it away");
        }
        return new ModelDirectory(dir, config, List.copyOf(files), total);
    }
}
