package io.tuneforge.data.rest;

import io.smallrye.common.annotation.Blocking;
import io.tuneforge.data.service.DatasetPreparation;
import io.tuneforge.data.service.InvalidSettingsException;
import io.tuneforge.data.service.PipelineSettingsResolver;
import io.tuneforge.data.service.PreparationJob;
import io.tuneforge.data.service.PreparationJobs;
import io.tuneforge.data.service.PreparedVersion;
import io.tuneforge.dataprep.DatasetInput;
import io.tuneforge.dataprep.PipelineException;
import io.tuneforge.dataprep.PipelineSettings;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /api/datasets/{name}}: a file (JSON Lines, a JSON array or CSV, gzip or not) becomes the next version of
 * dataset {@code name}. The raw body is streamed through the pipeline as it arrives (never held in memory); a
 * multipart form's {@code file} part is first written to disk by the HTTP layer. Settings come as query parameters
 * and are all checked before the body is read.
 */
@Path("/api/datasets")
@Tag(name = "Datasets", description = "Upload, list and read dataset versions")
public class DatasetUploadResource {

    static final String SOURCE = "upload";
    private static final Set<String> NOT_SETTINGS = Set.of("jobId");
    private static final Pattern FILENAME = Pattern.compile("filename\\*?=\"?(?:UTF-8'')?([^\";]+)\"?",
            Pattern.CASE_INSENSITIVE);

    private final PipelineSettingsResolver settings;
    private final PreparationJobs jobs;
    private final DatasetPreparation preparation;
    private final UploadSizeLimit sizeLimit;

    public DatasetUploadResource(PipelineSettingsResolver settings, PreparationJobs jobs,
            DatasetPreparation preparation, UploadSizeLimit sizeLimit) {
        this.settings = settings;
        this.jobs = jobs;
        this.preparation = preparation;
        this.sizeLimit = sizeLimit;
    }

    @POST
    @Path("/{name}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Upload a file as the next version of a dataset",
            description = "The body is the file: JSON Lines, one JSON array, or CSV/TSV with a header row; gzip is"
                    + " recognised by its magic bytes, the layout by the first bytes (inputType forces it). The"
                    + " body is streamed through the pipeline. Answers 201 with the version's counts and files"
                    + " once train.jsonl, eval.jsonl, rejected.jsonl and manifest.json (last) are in the store and"
                    + " DatasetPrepared is sent; on 400/413/422 nothing was published.")
    @RequestBody(content = {
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/gzip", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "201", description = "Published",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PreparedVersion.class)))
    @APIResponse(responseCode = "400", description = "INVALID_SETTINGS (every bad setting in errors) or a bad name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over quarkus.http.limits.max-body-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "EMPTY_INPUT, UNKNOWN_FORMAT (with what was found) or CORRUPT_INPUT",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<PreparedVersion> upload(@RestPath String name, @BeanParam UploadQuery query,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @HeaderParam("Content-Disposition") String disposition, @Context UriInfo uri, InputStream body)
            throws PipelineException, InvalidSettingsException {
        PipelineSettings pipelineSettings = check(name, uri);
        String inputName = fileName(disposition, name + " (request body)");
        long length = length(contentLength);
        InputStream counted = length < 0 ? sizeLimit.limit(body) : body;   // a declared length was checked up front
        return run(name, query.jobId, new DatasetInput(inputName, counted, length), pipelineSettings);
    }

    @POST
    @Path("/{name}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Upload a file (multipart form, part 'file') as the next version of a dataset",
            description = "As the raw upload, for browsers and curl -F file=@data.jsonl.")
    @APIResponse(responseCode = "201", description = "Published",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PreparedVersion.class)))
    @APIResponse(responseCode = "400", description = "INVALID_SETTINGS, a bad name, or no part named 'file'",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "EMPTY_INPUT, UNKNOWN_FORMAT or CORRUPT_INPUT",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<PreparedVersion> uploadForm(@RestPath String name, @BeanParam UploadQuery query,
            @RestForm("file") FileUpload file, @Context UriInfo uri)
            throws PipelineException, InvalidSettingsException, IOException {
        PipelineSettings pipelineSettings = check(name, uri);
        if (file == null) {
            throw ProblemException.badRequest("the multipart form has no part named 'file'; send the dataset as"
                    + " -F file=@data.jsonl (or as the raw request body)");
        }
        String inputName = file.fileName() == null || file.fileName().isBlank() ? name + " (form part 'file')"
                : file.fileName();
        DatasetInput input = new DatasetInput(inputName, Files.newInputStream(file.uploadedFile()), file.size());
        return run(name, query.jobId, input, pipelineSettings);
    }

    private PipelineSettings check(String name, UriInfo uri) throws InvalidSettingsException {
        DatasetNames.require(name);
        QuerySettings.Parsed query = QuerySettings.parse(uri.getQueryParameters(), NOT_SETTINGS);
        return settings.resolve(name, query.settings(), query.errors());
    }

    private RestResponse<PreparedVersion> run(String name, String jobId, DatasetInput input,
            PipelineSettings pipelineSettings) throws PipelineException {
        PreparationJob job;
        try {
            job = jobs.start(jobId, name, SOURCE, input.name(), input.sizeBytes());
        } catch (IllegalArgumentException e) {
            closeQuietly(input.stream());
            throw ProblemException.badParameter("jobId", e.getMessage());
        }
        PreparedVersion version = preparation.prepare(job, input, pipelineSettings, SOURCE, null);
        return RestResponse.ResponseBuilder.<PreparedVersion>create(RestResponse.Status.CREATED, version)
                .location(URI.create("/api/datasets/" + name + "/versions/" + version.version()))
                .header("X-Tuneforge-Job", job.jobId())
                .build();
    }

    private static long length(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String fileName(String disposition, String fallback) {
        if (disposition != null) {
            Matcher m = FILENAME.matcher(disposition);
            if (m.find() && !m.group(1).isBlank()) {
                return m.group(1).trim();
            }
        }
        return fallback;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the request ends anyway
        }
    }
}
