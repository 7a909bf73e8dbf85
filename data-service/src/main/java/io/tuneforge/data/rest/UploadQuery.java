package io.tuneforge.data.rest;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The query parameters of an upload, declared here for the OpenAPI document. The settings are read and checked
 * together by {@link QuerySettings} (so that an unknown parameter is refused too); only {@code jobId} is used from
 * here. Values are text so that a bad one is answered with a problem naming it, not a bare 404.
 */
public class UploadQuery {

    @RestQuery
    @Parameter(description = "id for GET /api/datasets/jobs/{jobId} while the upload runs; generated when absent")
    public String jobId;

    @RestQuery
    @Parameter(description = "instruction | conversation | preference | auto (default: the majority of the first"
            + " 1000 records)")
    public String format;

    @RestQuery
    @Parameter(description = "convert the records to instruction | conversation (alias of convertTo)")
    public String to;

    @RestQuery
    @Parameter(description = "auto | jsonl | json | csv (default auto: from the first bytes)")
    public String inputType;

    @RestQuery
    @Parameter(description = "share of kept records in eval, at least 0 and below 1 (0.1)")
    public String evalRatio;

    @RestQuery
    @Parameter(description = "exact number of eval records; wins over evalRatio")
    public String evalCount;

    @RestQuery
    @Parameter(description = "seed of the split (42): same input + seed = same split")
    public String seed;

    @RestQuery
    @Parameter(description = "MinHash Jaccard similarity at or above which a record is a near duplicate (0.85)")
    public String nearDupThreshold;

    @RestQuery
    @Parameter(description = "drop exact duplicates (true)")
    public String exactDedup;

    @RestQuery
    @Parameter(description = "drop near duplicates (true)")
    public String nearDedup;

    @RestQuery
    @Parameter(description = "strip HTML tags outside code blocks (false)")
    public String stripHtml;

    @RestQuery
    @Parameter(description = "redact e-mails, phone numbers, card and ID numbers (false)")
    public String redactPii;

    @RestQuery
    @Parameter(description = "reject records with more tokens (estimate: 1 per CJK character, 1 per 4 others)")
    public String maxTokens;

    @RestQuery
    @Parameter(description = "share eval records among the records' source labels (false)")
    public String stratifyBySource;

    @RestQuery
    @Parameter(description = "CSV only: JSON object of header name → field, e.g. {\"question\":\"instruction\"}")
    public String columnMapping;

    @RestQuery
    @Parameter(description = "a published version of this dataset that the new one derives from")
    public String parentVersion;
}
