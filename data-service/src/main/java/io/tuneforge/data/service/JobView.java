package io.tuneforge.data.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * Where one preparation job stands.
 *
 * @param jobId      the job's id (given as {@code jobId} on the upload, or generated)
 * @param datasetId  the dataset being prepared
 * @param source     {@code upload} or {@code import}
 * @param input      the file name or {@code s3://} URI read
 * @param status     {@code running}, {@code succeeded} or {@code failed}
 * @param phase      {@code starting}, {@code reading} (pass 1), {@code splitting} (pass 2), {@code done}
 * @param bytesRead  raw input bytes read (compressed bytes for gzip)
 * @param totalBytes the input's size, or -1 when unknown (a chunked upload)
 * @param fraction   bytesRead / totalBytes in [0, 1], or -1 when the size is unknown
 * @param records    input records read so far
 * @param kept       records kept so far (pass 1) or written to train/eval (pass 2)
 * @param rejected   records rejected so far
 * @param version    the version written (claimed while running, published once succeeded); null before that
 * @param errorCode  why it failed ({@code EMPTY_INPUT}, {@code UNKNOWN_FORMAT}, ...); null unless failed
 * @param error      the failure in words; null unless failed
 */
@Schema(name = "Job", description = "Progress of one dataset preparation")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(String jobId, String datasetId, String source, String input, String status, String phase,
                      long bytesRead, long totalBytes, double fraction, long records, long kept, long rejected,
                      Integer version, String errorCode, String error, Instant startedAt, Instant finishedAt,
                      double elapsedSeconds) {
}
