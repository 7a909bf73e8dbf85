package io.tuneforge.data.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * Records read from the start of one file of a version (preview, rejected).
 *
 * @param datasetId the dataset
 * @param version   the version
 * @param file      the file read
 * @param reason    only rejected records with this reason code; null for all
 * @param limit     the most records returned
 * @param records   the records, in file order (for rejected.jsonl: {line, reasons, record, keptLine?})
 * @param more      whether the file holds more (matching) records after these
 */
@Schema(name = "Records")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordsView(String datasetId, int version, String file, String reason, int limit, List<JsonNode> records,
                          boolean more) {
}
