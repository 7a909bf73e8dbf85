package io.tuneforge.data.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/**
 * What an upload or import published: the answer of {@code POST /api/datasets/{name}}.
 *
 * @param datasetId        the dataset (= the name in the URL)
 * @param version          the new version's number
 * @param format           format of train.jsonl / eval.jsonl (after a conversion, the target format)
 * @param detection        the input's format and how it was decided (votes of the sampled records, spellings)
 * @param source           {@code upload} or {@code import}
 * @param jobId            the job that produced it ({@code GET /api/datasets/jobs/{jobId}})
 * @param counts           input, train, eval, rejected: {@code input = train + eval + rejected}
 * @param rejectedByReason rejected records per reason code (a record with two codes counts under both)
 * @param files            train.jsonl, eval.jsonl, rejected.jsonl, manifest.json
 * @param manifestUri      {@code s3://} URI of manifest.json
 * @param parent           the version this one derives from, or null
 * @param eventPublished   whether DatasetPrepared reached the broker (false: the version exists, the registry
 *                         has not been told; see the service log)
 */
@Schema(name = "PreparedVersion", description = "A dataset version that was just published")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PreparedVersion(String datasetId, int version, DatasetFormat format, JsonNode detection, String source,
                              String jobId, Map<String, Long> counts, JsonNode rejectedByReason,
                              Map<String, VersionFile> files, String manifestUri, DatasetVersionRef parent,
                              boolean eventPublished) {
}
