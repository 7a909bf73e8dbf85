package io.tuneforge.eval.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.evaluation.EvaluationRequested;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.eval.service.EvaluationAdmission;
import io.tuneforge.eval.service.EvaluationPlan;
import io.tuneforge.eval.service.EvaluationProblem;
import io.tuneforge.eval.service.EvaluationStatus;
import io.tuneforge.eval.service.EvaluationWorker;
import io.tuneforge.storage.ArtifactStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /api/evaluations}: the REST form of {@code EvaluationRequested} (same JSON; {@code evalId} optional).
 * Checked at once — a bad field is a 400, a missing model, adapter or dataset a 404, each naming what to fix — then
 * queued for this replica's evaluation worker: 202 with {@code Location: /api/evaluations/{evalId}}. The outcome is
 * also sent as EvaluationCompleted / EvaluationFailed, as for the command topic.
 * {@code GET /api/evaluations/{evalId}}: the report once it exists, else the state on this replica.
 */
@Path("/api/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    private static final Set<String> NOT_FOUND = Set.of(EvaluationAdmission.BASE_MODEL_NOT_FOUND,
            EvaluationAdmission.ADAPTER_NOT_FOUND, EvaluationAdmission.MODEL_NOT_FOUND,
            EvaluationAdmission.DATASET_NOT_FOUND);

    private final EvaluationAdmission admission;
    private final EvaluationWorker worker;
    private final ArtifactStore store;

    public EvaluationResource(EvaluationAdmission admission, EvaluationWorker worker, ArtifactStore store) {
        this.admission = admission;
        this.worker = worker;
        this.store = store;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response request(String body) {
        EvaluationRequested request;
        try {
            request = Json.read(body, EvaluationRequested.class);
        } catch (RuntimeException e) {
            throw new ProblemException(400, "Bad Request", "The body is not an evaluation request: " + e.getMessage()
                    + "; expected {\"baseModel\": \"s3://...\", \"adapterUri\": \"s3://...\", \"dataset\":"
                    + " {\"datasetId\": \"...\", \"version\": 1}}", EvaluationAdmission.INVALID_REQUEST);
        }
        if (request == null) {
            throw new ProblemException(400, "Bad Request", "The body is empty; expected an evaluation request",
                    EvaluationAdmission.INVALID_REQUEST);
        }
        String evalId = request.evalId() != null ? request.evalId()
                : "eval-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        EvaluationPlan plan = EvaluationPlan.of(new EvaluationRequested(1, evalId, request.runId(),
                request.baseModel(), request.adapterUri(), request.dataset(), request.metrics(), request.maxSamples(),
                request.maxNewTokens()));
        EvaluationAdmission.Verdict verdict = admission.check(plan);
        URI location = URI.create("/api/evaluations/" + evalId);
        if (verdict.done()) {
            return Response.ok(status(evalId)).location(location).build();
        }
        List<EvaluationProblem> problems = verdict.problems();
        if (!problems.isEmpty()) {
            String code = problems.get(0).code();
            int status = EvaluationAdmission.INVALID_REQUEST.equals(code) ? 400 : NOT_FOUND.contains(code) ? 404 : 503;
            throw new ProblemException(status, Response.Status.fromStatusCode(status).getReasonPhrase(),
                    String.join(". ", problems.stream().map(EvaluationProblem::message).toList()) + ".", code);
        }
        worker.submit(plan);
        return Response.accepted(worker.status(evalId).orElse(EvaluationStatus.of(evalId, EvaluationStatus.QUEUED)))
                .location(location).build();
    }

    @GET
    @Path("/{evalId}")
    @Blocking
    public Object status(@PathParam("evalId") String evalId) {
        if (!ObjectKeys.isValidId(evalId)) {
            throw new ProblemException(400, "Bad Request", "evalId '" + evalId + "' is not valid: use "
                    + ObjectKeys.ID_RULE, EvaluationAdmission.INVALID_REQUEST);
        }
        String reportKey = ObjectKeys.evalReport(evalId);
        if (store.exists(reportKey)) {
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("evalId", evalId);
            done.put("state", EvaluationStatus.SUCCEEDED);
            done.put("report", store.uri(reportKey).toString());
            done.put("samples", store.uri(ObjectKeys.evalSamples(evalId)).toString());
            done.put("result", store.getJson(reportKey, JsonNode.class));
            return done;
        }
        return worker.status(evalId).orElseThrow(() -> new ProblemException(404, "Not Found", "No evaluation '"
                + evalId + "' is known here: no " + store.uri(reportKey) + " and none queued on this replica",
                null));
    }
}
