package io.tuneforge.dataprep.sink;

/**
 * One file of a prepared version, as the manifest and DatasetPrepared describe it.
 *
 * @param name   file name, e.g. {@code train.jsonl}
 * @param bytes  size in bytes
 * @param sha256 hex SHA-256 of the bytes
 * @param lines  line breaks in the file (= records for JSONL files)
 */
public record WrittenFile(String name, long bytes, String sha256, long lines) {
}
