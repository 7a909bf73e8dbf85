package io.tuneforge.data.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.data.config.DataServiceConfig;
import io.tuneforge.data.storage.DatasetCatalog;
import io.tuneforge.data.storage.DatasetKeys;
import io.tuneforge.data.storage.JsonLines;
import io.tuneforge.dataprep.validate.ReasonCode;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads published dataset versions: the datasets, a dataset's versions, a manifest, a presigned download, a preview of
 * train/eval and the rejected records with their reasons. A version is published once its manifest exists; anything
 * else is a 404 naming what is missing.
 */
@Path("/api/datasets")
@Tag(name = "Datasets")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DatasetVersionResource {

    private static final List<String> READABLE = List.of(ObjectKeys.TRAIN_FILE, ObjectKeys.EVAL_FILE,
            ObjectKeys.REJECTED_FILE);

    private final DatasetCatalog catalog;
    private final ArtifactStore store;
    private final DataServiceConfig config;

    public DatasetVersionResource(DatasetCatalog catalog, DataServiceConfig config) {
        this.catalog = catalog;
        this.store = catalog.store();
        this.config = config;
    }

    @GET
    @Operation(summary = "List the datasets with their latest published version")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DatasetSummaryView.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public List<DatasetSummaryView> datasets() {
        List<DatasetSummaryView> datasets = new ArrayList<>();
        for (String id : catalog.datasetIds()) {
            List<Integer> versions = catalog.publishedVersions(id);
            if (versions.isEmpty()) {
                continue;
            }
            int latest = versions.get(versions.size() - 1);
            JsonNode manifest = catalog.manifest(id, latest).orElse(null);
            datasets.add(new DatasetSummaryView(id, latest, versions.size(), text(manifest, "format"),
                    manifest == null ? null : manifest.get("counts"), text(manifest, "createdAt")));
        }
        return datasets;
    }

    @GET
    @Path("/{name}/versions")
    @Operation(summary = "List the published versions of a dataset, oldest first")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = VersionSummaryView.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "No published version of that name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<VersionSummaryView> versions(@RestPath String name) {
        List<Integer> versions = publishedVersions(name);
        List<VersionSummaryView> views = new ArrayList<>();
        for (int v : versions) {
            catalog.manifest(name, v).ifPresent(m -> views.add(new VersionSummaryView(v, text(m, "format"),
                    m.get("counts"), text(m, "createdAt"), m.get("parent"), m.get("input"),
                    store.uri(ObjectKeys.datasetManifest(name, v)).toString())));
        }
        return views;
    }

    @GET
    @Path("/{name}/versions/{version}")
    @Operation(summary = "The manifest of a version",
            description = "format, detection, input, counts, stages, rejectedByReason, cleaning, tokens, languageMix,"
                    + " dedup, split, files (bytes, sha256, records), settings, parent, createdAt")
    @APIResponse(responseCode = "200", description = "manifest.json as written")
    @APIResponse(responseCode = "404", description = "No such dataset or version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ObjectNode manifest(@RestPath String name,
            @Parameter(description = "version number, e.g. 3 or v3") @RestPath String version) {
        int v = version(name, version);
        return catalog.manifest(name, v).orElseThrow(() -> missingVersion(name, v));
    }

    @GET
    @Path("/{name}/versions/{version}/download")
    @Operation(summary = "A presigned URL of one file: 302 to it, or JSON with redirect=false")
    @APIResponse(responseCode = "302", description = "Location: the presigned URL")
    @APIResponse(responseCode = "200", description = "with redirect=false",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DownloadView.class)))
    @APIResponse(responseCode = "400", description = "file is not one of the version's files",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such dataset, version or file",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response download(@RestPath String name, @RestPath String version,
            @Parameter(description = "train.jsonl, eval.jsonl, rejected.jsonl or manifest.json") @RestQuery String file,
            @Parameter(description = "false: answer JSON instead of a redirect") @RestQuery String redirect) {
        String fileName = file(file, DatasetKeys.FILES);
        boolean redirecting = flag("redirect", redirect, true);
        int v = version(name, version);
        String key = ObjectKeys.datasetFile(name, v, fileName);
        ObjectInfo info = store.stat(key).orElseThrow(() -> missingFile(name, v, fileName));
        Instant expires = Instant.now().plus(config.presignExpiry());
        URI url = store.presignedGet(key, config.presignExpiry());
        if (redirecting) {
            return Response.status(Response.Status.FOUND).location(url).build();
        }
        return Response.ok(new DownloadView(fileName, url.toString(), expires, info.sha256(), info.size())).build();
    }

    @GET
    @Path("/{name}/versions/{version}/preview")
    @Operation(summary = "The first records of train.jsonl or eval.jsonl (or rejected.jsonl)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RecordsView.class)))
    @APIResponse(responseCode = "400", description = "Bad file or limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such dataset or version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RecordsView preview(@RestPath String name, @RestPath String version,
            @Parameter(description = "train.jsonl (default), eval.jsonl or rejected.jsonl") @RestQuery String file,
            @Parameter(description = "records to return (default tuneforge.data.default-limit)") @RestQuery String limit) {
        String fileName = file == null ? ObjectKeys.TRAIN_FILE : file(file, READABLE);
        int n = limit(limit);
        int v = version(name, version);
        return read(name, v, fileName, null, n);
    }

    @GET
    @Path("/{name}/versions/{version}/rejected")
    @Operation(summary = "Rejected records with their line, reasons and (for duplicates) the kept line",
            description = "Optionally only those with one reason code, e.g. near_duplicate or invalid_json.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RecordsView.class)))
    @APIResponse(responseCode = "400", description = "Unknown reason code or bad limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such dataset or version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RecordsView rejected(@RestPath String name, @RestPath String version,
            @Parameter(description = "records to return (default tuneforge.data.default-limit)") @RestQuery String limit,
            @Parameter(description = "only records with this reason code") @RestQuery String reason) {
        int n = limit(limit);
        if (reason != null && Arrays.stream(ReasonCode.values()).noneMatch(c -> c.wireName().equals(reason))) {
            throw ProblemException.badParameter("reason", "'" + reason + "' is not a reason code; expected one of "
                    + Arrays.stream(ReasonCode.values()).map(ReasonCode::wireName).toList());
        }
        int v = version(name, version);
        return read(name, v, ObjectKeys.REJECTED_FILE, reason, n);
    }

    private RecordsView read(String name, int version, String fileName, String reason, int limit) {
        String key = ObjectKeys.datasetFile(name, version, fileName);
        if (!store.exists(key)) {
            throw missingFile(name, version, fileName);
        }
        JsonLines.Page page = JsonLines.read(store.get(key), limit, node -> reason == null || hasReason(node, reason));
        return new RecordsView(name, version, fileName, reason, limit, page.records(), page.more());
    }

    private static boolean hasReason(JsonNode rejected, String reason) {
        for (JsonNode r : rejected.path("reasons")) {
            if (reason.equals(r.path("code").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The published versions of {@code name}; 404 when there are none. */
    private List<Integer> publishedVersions(String name) {
        DatasetNames.require(name);
        List<Integer> versions = catalog.publishedVersions(name);
        if (versions.isEmpty()) {
            throw ProblemException.notFound("dataset '" + name + "' has no published version; upload one with"
                    + " POST /api/datasets/" + name + " (GET /api/datasets lists the datasets)");
        }
        return versions;
    }

    /** A published version number of {@code name}, from "3" or "v3"; 404 naming the versions there are. */
    private int version(String name, String text) {
        DatasetNames.require(name);
        String digits = text.startsWith("v") ? text.substring(1) : text;
        int v;
        try {
            v = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            v = 0;
        }
        if (v < 1) {
            throw ProblemException.badRequest("version '" + text + "' is not a version number; use 1, 2, ... (or v1)");
        }
        if (!catalog.isPublished(name, v)) {
            throw missingVersion(name, v);
        }
        return v;
    }

    private ProblemException missingVersion(String name, int version) {
        List<Integer> versions = catalog.publishedVersions(name);
        return ProblemException.notFound(versions.isEmpty()
                ? "dataset '" + name + "' has no published version; upload one with POST /api/datasets/" + name
                : "dataset '" + name + "' has no version " + version + "; its versions are " + versions);
    }

    private static ProblemException missingFile(String name, int version, String file) {
        return ProblemException.notFound("version " + version + " of dataset '" + name + "' has no " + file);
    }

    private static String file(String file, List<String> allowed) {
        if (file == null || !allowed.contains(file)) {
            throw ProblemException.badParameter("file", (file == null ? "is missing" : "'" + file + "' is not allowed")
                    + "; expected one of " + allowed);
        }
        return file;
    }

    private int limit(String text) {
        if (text == null) {
            return Math.min(config.defaultLimit(), config.maxLimit());
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= config.maxLimit()) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProblemException.badParameter("limit", "must be a whole number from 1 to " + config.maxLimit()
                + ", got '" + text + "'");
    }

    private static boolean flag(String name, String text, boolean absent) {
        if (text == null) {
            return absent;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw ProblemException.badParameter(name, "must be true or false, got '" + text + "'");
    }

    private static String text(JsonNode node, String field) {
        return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
    }
}
